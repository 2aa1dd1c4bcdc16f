using Verify.Bounds;
using Verify.Bounds.Heuristic;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Analysis;

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
internal sealed record CellParameters(string Data, int N, double D, int Width, double Mu, double Alpha, double Beta, double NoiseScale = 1)
{
    public const string Gaussian = "gaussian";

    /// <summary>The theorem's data model (Gaussian mixture); other data is outside it.</summary>
    public bool IsGaussian => Data == Gaussian;

    /// <summary>α/M (0 when α = 0; +∞ when M = 0 &lt; α).</summary>
    public double AlphaOverMu => Alpha == 0 ? 0 : Alpha / Mu;

    /// <summary>M/σ: the signal in the theory's units.</summary>
    public double MuInNoiseUnits => Mu / NoiseScale;

    /// <summary>α/σ: the budget in the theory's units.</summary>
    public double AlphaInNoiseUnits => Alpha / NoiseScale;

    /// <summary>Whether the theory's formulas can be evaluated here (M and d known, β &lt; 1/2).</summary>
    public bool HasTheory => double.IsFinite(MuInNoiseUnits) && MuInNoiseUnits >= 0 && double.IsFinite(D) && D >= 1
        && double.IsFinite(AlphaInNoiseUnits) && Beta is >= 0 and < 0.5 && N >= 1 && Width >= 2 && Width % 2 == 0;

    /// <summary>The regime the Bounds library evaluates, in noise units.</summary>
    public Regime Regime(double c, double delta) => new Regime(N, Math.Round(D), Width, MuInNoiseUnits, AlphaInNoiseUnits, Beta, delta, c).Validate();

    /// <summary>The HEURISTIC linearized-interpolator prediction, in noise units.</summary>
    public HeuristicPrediction Heuristic() => LinearizedInterpolator.Predict(N, D, MuInNoiseUnits, AlphaInNoiseUnits, Beta);

    /// <summary>
    /// The parameters of a cell from its settings (all but the seed) and its runs. Gaussian data: the
    /// settings. Real data: d = resolution², M̂ and σ̂ averaged over the runs that measured them; α the setting,
    /// or, where the cell gives α/M̂ (alphaOverMu), that fraction of the mean M̂: each run trained at the fraction
    /// of its own M̂, so this is also the mean of the runs' α, and α/M̂ is the fraction.
    /// </summary>
    /// <summary>
    /// α/M̂ of a real-data cell exactly as set, or null when it is not known exactly: the alphaOverMu setting (each
    /// run trains at that fraction of its own M̂), or 0 where α = 0. α given in input units has no exact α/M̂ (M̂ is measured).
    /// </summary>
    public static double? AlphaOverMuHat(RunSettings settings)
        => settings.Choice("data") == Gaussian ? null
            : settings.Has("alphaOverMu") ? settings.Real("alphaOverMu")
            : settings.Real("alpha") == 0 ? 0 : null;

    public static CellParameters Of(RunSettings settings, IReadOnlyList<RunRecord> runs)
    {
        string data = settings.Choice("data");
        if (data == Gaussian)
            return new CellParameters(data, settings.Int("n"), settings.Long("d"), settings.Int("m"), settings.Real("mu"), settings.Real("alpha"),
                settings.Real("beta"), settings.Real("sigma"));
        int res = settings.Int("resolution");
        double signal = runs.Select(r => r.Provenance.SignalNorm ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        double noise = runs.Select(r => r.Provenance.NoiseScale ?? double.NaN).Where(double.IsFinite).DefaultIfEmpty(1).Average();
        double alpha = AlphaOverMuHat(settings) is { } fraction ? fraction * signal : settings.Real("alpha");
        return new CellParameters(data, settings.Int("n"), res * res, settings.Int("m"), signal, alpha, settings.Real("beta"), noise);
    }
}
