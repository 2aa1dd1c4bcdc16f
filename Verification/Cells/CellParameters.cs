using System.Text.Json.Serialization;
using Verify.Bounds;
using Verify.Simulation.Data.Noise;
using Verify.Bounds.Heuristic;
using Verify.Bounds.Inverse;
using Verify.Simulation.Settings;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Cells;

/// <summary>
/// A cell (or a single run) in the paper's notation, in the units of its inputs: M and α as set (for
/// real data M̂, the empirical class-mean half-distance). The theory's formulas are written for noise
/// of unit variance per coordinate, so they take M/σ and α/σ: <see cref="Regime"/> and
/// <see cref="Heuristic"/> are the one place that conversion happens (the analysis, the `train`
/// table and the figures all go through them).
/// </summary>
/// <param name="D">d (NaN when unknown).</param>
/// <param name="Mu">M = ||μ|| in input units (NaN when unknown).</param>
/// <param name="NoiseScale">σ, the noise spread per coordinate: the `sigma` setting for Gaussian data, the
/// measured within-class spread σ̂ for real data.</param>
/// <param name="Flips">Which labels are flipped (Gaussian data; random elsewhere). Left out of JSON when random.</param>
/// <param name="Noise">The law of ξ (Gaussian data; gaussian elsewhere). Left out of JSON when gaussian.</param>
/// <param name="NoiseCondition">κ_Σ of the anisotropic law (0 for the others, and left out of JSON).</param>
internal sealed record CellParameters(DataKind Data, int N, double D, int Width, double Mu, double Alpha, double Beta, double NoiseScale = 1,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] LabelNoise Flips = LabelNoise.Random,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] NoiseFamily Noise = NoiseFamily.Gaussian,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double NoiseCondition = 0)
{
    /// <summary>The theorem's data model (Gaussian mixture); other data is outside it.</summary>
    public bool IsGaussian => Data == DataKind.Gaussian;

    /// <summary>
    /// Gaussian noise and random flips: the model the EXACT Gaussian references (Bayes error, robust lower bound, the robust
    /// error of sgn⟨μ, x⟩) and the HEURISTIC prediction are derived for. Other noise laws and label rules are inside the
    /// theorem's hypotheses (strongly log-concave noise, TV ≤ β), so its claims are tested there, but those references are not shown.
    /// </summary>
    [JsonIgnore]
    public bool GaussianRandomFlips => IsGaussian && Flips == LabelNoise.Random && Noise == NoiseFamily.Gaussian;

    /// <summary>
    /// The noise law and label rule of a Gaussian cell that is not Gaussian noise with random flips ("noise = gauss-laplace,
    /// labelNoise = margin", with noiseCondition for the anisotropic law); null otherwise.
    /// </summary>
    [JsonIgnore]
    public string? NoiseModel => !IsGaussian || GaussianRandomFlips ? null
        : $"{Keys.Noise.Name} = {Keys.Noise.Format(Noise)}, {Keys.LabelNoise.Name} = {Keys.LabelNoise.Format(Flips)}"
          + (Noise == NoiseFamily.Anisotropic ? $", {Keys.NoiseCondition.Name} = {NoiseCondition.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}" : "");

    /// <summary>Gaussian data whose flips are a function of x (margin, confident, spurious): the noisy labels are partly predictable.</summary>
    [JsonIgnore]
    public bool FlipsDependOnX => IsGaussian && Flips != LabelNoise.Random;

    /// <summary>
    /// The robust error Theorem 3.2 promises on the noisy labels at α ≥ M (docs/theory.md, "Which references apply"): 1/2 where
    /// the flips are independent of x; 1/2 − β where they are a function of x (1/2 holds for the clean labels, and the noisy
    /// ones are within total variation β of them).
    /// </summary>
    [JsonIgnore]
    public double CollapseLevel => FlipsDependOnX ? 0.5 - Beta : 0.5;

    /// <summary>Gaussian data whose noise law or label rule is not the one the Gaussian references are derived for (Gaussian noise, random flips).</summary>
    [JsonIgnore]
    public bool ReferencesAbsent => IsGaussian && !GaussianRandomFlips;

    /// <summary>
    /// The noise models of these cells, a family at a time: "noise = gauss-laplace with labelNoise = random, margin; noise = gaussian
    /// with labelNoise = spurious".
    /// </summary>
    public static string DescribeModels(IEnumerable<CellParameters> cells)
        => string.Join("; ", cells.Where(p => p.IsGaussian)
            .GroupBy(p => p.Noise == NoiseFamily.Anisotropic
                ? $"{Keys.Noise.Name} = {Keys.Noise.Format(p.Noise)} ({Keys.NoiseCondition.Name} = {p.NoiseCondition.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)})"
                : $"{Keys.Noise.Name} = {Keys.Noise.Format(p.Noise)}")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} with {Keys.LabelNoise.Name} = {string.Join(", ", g.Select(p => p.Flips).Distinct().Order().Select(Keys.LabelNoise.Format))}"));

    /// <summary>
    /// The Bayes clean error against this cell's noisy labels (EXACT, docs/theory.md "Which references apply"): the least
    /// clean test error any classifier can have. NaN outside the Gaussian data or without theory.
    /// </summary>
    public double OptimalClean() => IsGaussian && HasTheory
        ? OptimalError.Clean(Flips, Noise, NoiseScale, (long)Math.Round(D), NoiseCondition, Mu, Beta) : double.NaN;

    /// <summary>The data source's name as a setting value ("gaussian", "mnist").</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string DataName => Keys.Data.Format(Data);

    /// <summary>α/M (0 when α = 0; +∞ when M = 0 &lt; α).</summary>
    public double AlphaOverMu => Alpha == 0 ? 0 : Alpha / Mu;

    /// <summary>M/σ: the signal in the theory's units.</summary>
    public double MuInNoiseUnits => Mu / NoiseScale;

    /// <summary>α/σ: the budget in the theory's units.</summary>
    public double AlphaInNoiseUnits => Alpha / NoiseScale;

    /// <summary>Whether the theory's formulas can be evaluated here (M and d known, β &lt; 1/2).</summary>
    public bool HasTheory => double.IsFinite(MuInNoiseUnits) && MuInNoiseUnits >= 0 && double.IsFinite(D) && D >= 1
        && double.IsFinite(AlphaInNoiseUnits) && Beta is >= 0 and < 0.5 && N >= 1 && Width >= 2 && Width % 2 == 0;

    /// <summary>
    /// The regime the Bounds library evaluates (the bounds at C, C needed), in the noise family's scale.
    /// Gaussian noise (and real data): M/σ, α/σ and d. Another family (docs/theory.md, "How they enter A1–A4 and R",
    /// RECONSTRUCTED): M/s and α/s with s = 1/√κ its strong log-concavity scale, and d_eff = (tr Σ)²/tr Σ² rounded to
    /// a whole number in place of d (<see cref="FamilyScale"/>).
    /// </summary>
    public Regime Regime(double c, double delta)
    {
        var (d, mu, alpha) = InTheoryScale();
        return new Regime(N, d, Width, mu, alpha, Beta, delta, c).Validate();
    }

    /// <summary>
    /// The theory at this cell: <see cref="Regime"/>'s analysis, except that for another noise family each hypothesis must
    /// hold in two readings, the family's scale (M/s, α/s, d_eff) and the covariance's (M/σ, α/σ, d_eff): each assumption's
    /// check is the harder of the two. The scale s makes A3, R and the bound harder but A2 easier (a smaller M′ shrinks
    /// its n·M′² and n²·α′² terms); reading A2 at M/σ too keeps every hypothesis at least as hard as under Gaussian noise
    /// of the same covariance. The bounds stay at the family's scale, the looser of the two.
    /// </summary>
    public RegimeAnalysis Analysis(double c, double delta, double epsilon = 0.05)
    {
        var a = RegimeAnalysis.Of(Regime(c, delta), epsilon);
        if (FamilyScale() is not { } s) return a;
        var covariance = RegimeAnalysis.Of(CovarianceRegime(s, c, delta), epsilon);
        return a with { Assumptions = a.Assumptions.Zip(covariance.Assumptions, (x, y) => y.CStar < x.CStar ? y : x).ToList() };
    }

    /// <summary>The covariance's reading of another family's regime: d_eff as in the family's, M/σ and α/σ (<see cref="Analysis"/>).</summary>
    private Regime CovarianceRegime(TheoryScale s, double c, double delta)
        => new Regime(N, Math.Round(s.EffectiveDimension), Width, MuInNoiseUnits, AlphaInNoiseUnits, Beta, delta, c).Validate();

    /// <summary>
    /// The inverse queries (STATED and RECONSTRUCTED) answered as <see cref="Analysis"/> checks: for Gaussian noise
    /// <see cref="Regime"/>'s. For another family A2 and R must hold in both readings, so the smallest d for A2 is the larger
    /// of the two readings' and the largest α for R and A2 the smaller, in α's own units (the family's α′ = α·σ√κ/σ
    /// divided back); the largest d for the clean bound is the family's (the bound is read there). The dimensions are
    /// values of d′: d, or for the anisotropic law d_eff, with the family's factor at this d. The HEURISTIC boundaries
    /// are derived for Gaussian noise with random flips only: null for any other model.
    /// </summary>
    public InverseValues Inverse(double c, double delta, double epsilon)
    {
        var family = Regime(c, delta);
        var inverse = RegimeAnalysis.Of(family, epsilon).Inverse;
        if (!GaussianRandomFlips) inverse = inverse with { HeuristicCleanBoundaryD = null, HeuristicRobustBoundaryD = null };
        if (FamilyScale() is not { } s) return inverse;
        var covariance = CovarianceRegime(s, c, delta);
        double? maxAlpha = inverse.MaxAlpha is { } a && InverseQueries.MaxAlpha(covariance) is { } b ? Math.Min(a / s.SignalFactor, b) : null;
        return inverse with { MinD = Math.Max(inverse.MinD, InverseQueries.MinDimension(covariance)), MaxAlpha = maxAlpha };
    }

    /// <summary>d, M and α as <see cref="Regime"/> passes them to Bounds: (d rounded, M/σ, α/σ) for Gaussian noise, (d_eff rounded, M/s, α/s) for another family.</summary>
    public (double D, double Mu, double Alpha) InTheoryScale() => FamilyScale() is { } s
        ? (Math.Round(s.EffectiveDimension), MuInNoiseUnits * s.SignalFactor, AlphaInNoiseUnits * s.SignalFactor)
        : (Math.Round(D), MuInNoiseUnits, AlphaInNoiseUnits);

    /// <summary>
    /// The noise family's scale for the theory (σ/s and d_eff), or null where the theory is read at M/σ, α/σ and d as
    /// written: Gaussian noise, data other than the Gaussian mixture, d unknown.
    /// </summary>
    public TheoryScale? FamilyScale() => IsGaussian && Noise != NoiseFamily.Gaussian && double.IsFinite(D) && D >= 1
        ? TheoryScale.Of(Noise, (long)Math.Round(D), NoiseCondition) : null;

    /// <summary>
    /// A line saying how this cell's regime is scaled ("gauss-laplace: M/σ and α/σ × 0.689 (RECONSTRUCTED)"), null for
    /// Gaussian noise.
    /// </summary>
    public string? FamilyScaleNote() => FamilyScale() is not { } s ? null
        : Noise == NoiseFamily.Anisotropic
            ? $"{Keys.Noise.Format(Noise)} ({Keys.NoiseCondition.Name} = {NoiseCondition.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}, d = {Math.Round(D).ToString(System.Globalization.CultureInfo.InvariantCulture)}): "
              + $"M/σ and α/σ × {s.SignalFactor.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}, d → d_eff = {Math.Round(s.EffectiveDimension).ToString(System.Globalization.CultureInfo.InvariantCulture)}, each hypothesis also at M/σ and α/σ (RECONSTRUCTED)"
            : $"{Keys.Noise.Format(Noise)}: M/σ and α/σ × {s.SignalFactor.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}, each hypothesis also at M/σ and α/σ (RECONSTRUCTED)";

    /// <summary>The HEURISTIC linearized-interpolator prediction, in noise units.</summary>
    public HeuristicPrediction Heuristic() => LinearizedInterpolator.Predict(N, D, MuInNoiseUnits, AlphaInNoiseUnits, Beta);

    /// <summary>
    /// α/M̂ of a real-data cell exactly as set, or null when it is not known exactly: the alphaOverMu setting (each
    /// run trains at that fraction of its own M̂), or 0 where α = 0. α given in input units has no exact α/M̂ (M̂ is measured).
    /// </summary>
    public static double? AlphaOverMuHat(RunSettings settings)
        => settings.Get(Keys.Data) == DataKind.Gaussian ? null
            : settings.GetOrNull(Keys.AlphaOverMu) ?? (settings.Get(Keys.Alpha) == 0 ? 0 : null);

    /// <summary>
    /// The parameters of a cell from its settings (all but the seed) and its runs. Gaussian data: the
    /// settings. Real data: d = resolution², M̂ and σ̂ averaged over the runs that measured them; α the setting,
    /// or, where the cell gives α/M̂ (alphaOverMu), that fraction of the mean M̂: each run trained at the fraction
    /// of its own M̂, so this is also the mean of the runs' α, and α/M̂ is the fraction.
    /// </summary>
    public static CellParameters Of(RunSettings settings, IReadOnlyList<RunRecord> runs)
    {
        var data = settings.Get(Keys.Data);
        if (data == DataKind.Gaussian)
            return new CellParameters(data, settings.Get(Keys.N), settings.Get(Keys.D), settings.Get(Keys.Width), settings.Get(Keys.Mu), settings.Get(Keys.Alpha),
                settings.Get(Keys.Beta), settings.Get(Keys.Sigma), settings.Get(Keys.LabelNoise), settings.Get(Keys.Noise),
                settings.Get(Keys.Noise) == NoiseFamily.Anisotropic ? settings.Get(Keys.NoiseCondition) : 0);
        int res = settings.Get(Keys.Resolution);
        double signal = runs.Select(r => r.Provenance.SignalNorm ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        double noise = runs.Select(r => r.Provenance.NoiseScale ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(1).Average();
        double alpha = AlphaOverMuHat(settings) is { } fraction ? fraction * signal : settings.Get(Keys.Alpha);
        return new CellParameters(data, settings.Get(Keys.N), res * res, settings.Get(Keys.Width), signal, alpha, settings.Get(Keys.Beta), noise);
    }
}
