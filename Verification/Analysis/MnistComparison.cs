using Verify.Simulation.Settings;
using Verify.Verification.Settings;
using Verify.Verification.Cells;

namespace Verify.Verification.Analysis;

/// <summary>
/// How far MNIST cells of one normalization and one β are from the Gaussian model's HEURISTIC curve,
/// evaluated at M = M̂/σ̂ and α/σ̂ (the curve the synthetic experiment follows). The HEURISTIC describes an
/// interpolating network, so the gaps are means over the cells whose runs all interpolate; the mean over
/// every cell is given beside them as a sensitivity. Not a claim of the theorem (MNIST is outside its model):
/// a measure of how Gaussian-like the digits behave.
/// </summary>
/// <param name="Cells">Cells with finished runs and a HEURISTIC value.</param>
/// <param name="Interpolating">Of them, cells in which every run interpolates (no run diverged).</param>
/// <param name="MuInNoiseUnitsLow">Smallest M̂/σ̂ over the cells.</param>
/// <param name="CleanGap">Mean |measured − HEURISTIC| clean error (noisy labels) over the interpolating cells; NaN when none.</param>
/// <param name="RobustGap">Mean |measured − HEURISTIC| robust error (noisy labels; at α = 0 the clean error) over the interpolating cells; NaN when none.</param>
/// <param name="RobustGapAllCells">The same over every cell, interpolating or not (a sensitivity, not the comparison).</param>
internal sealed record MnistGroupAgreement(
    string Normalization,
    double Beta,
    int Cells,
    int Resolutions,
    int Interpolating,
    double MuInNoiseUnitsLow,
    double MuInNoiseUnitsHigh,
    double CleanGap,
    double RobustGap,
    double RobustGapAllCells);

/// <summary>Which pairs of cells a paired difference is taken over.</summary>
internal enum MnistPairSet
{
    /// <summary>Below the cliff (α &lt; ¾·M̂) and every run of both cells interpolates: the comparison itself (the HEURISTIC describes an interpolating network).</summary>
    Interpolating,
    /// <summary>Below the cliff (α &lt; ¾·M̂), some run of a cell does not interpolate: a sensitivity.</summary>
    NotInterpolating,
    /// <summary>¾·M̂ ≤ α ≤ M̂, interpolating or not, where the robust error jumps: a sensitivity.</summary>
    NearCollapse,
    /// <summary>α &gt; M̂, interpolating or not: a sensitivity.</summary>
    BeyondCollapse,
}

/// <summary>
/// Two cells at the same β, resolution and exact α/M̂ (and every other setting), one per normalization, with
/// their |measured − HEURISTIC| robust gaps.
/// </summary>
/// <param name="AlphaOverMu">α/M̂ exactly as set (alphaOverMu, or 0 where α = 0).</param>
/// <param name="BothInterpolate">Every run of both cells interpolates and none diverged.</param>
internal sealed record MnistPair(
    double Beta,
    int Resolution,
    double AlphaOverMu,
    string Reference,
    string Other,
    string ReferenceKey,
    string OtherKey,
    double ReferenceGap,
    double OtherGap,
    bool BothInterpolate,
    MnistPairSet Set)
{
    /// <summary>|gap of the other| − |gap of the reference|: negative when the other normalization is closer to the curve.</summary>
    public double Difference => Math.Abs(OtherGap) - Math.Abs(ReferenceGap);
}

/// <summary>
/// Two normalizations at one β over one set of pairs (<see cref="MnistPairSet"/>): the mean of the paired
/// differences of |measured − HEURISTIC| robust error and its 95% t interval (NaN with fewer than two pairs).
/// </summary>
/// <param name="Difference">Mean over pairs of (gap under <paramref name="Other"/>) − (gap under <paramref name="Reference"/>): negative when the other normalization is closer to the Gaussian curve.</param>
internal sealed record MnistPairedGap(string Reference, string Other, double Beta, MnistPairSet Set, int Pairs, double Difference, double Low95, double High95)
{
    /// <summary>The 95% interval excludes 0.</summary>
    public bool Significant => Pairs >= 2 && (High95 < 0 || Low95 > 0);

    /// <summary>Fewer pairs than <see cref="MnistComparison.FewPairs"/>: the interval is wide and the answer weak.</summary>
    public bool Few => Pairs < MnistComparison.FewPairs;
}

/// <summary>
/// Why two normalizations at one β have no interpolating pair: the counts that say so.
/// </summary>
/// <param name="ExactPairs">Pairs of cells at the same exact α/M̂ (and every other setting), interpolating or not.</param>
/// <param name="CellsWithExactRatio">Cells of each normalization whose α/M̂ is known exactly (alphaOverMu, or α = 0).</param>
/// <param name="InterpolatingCells">Cells of each normalization in which every run interpolates.</param>
internal sealed record MnistUnpaired(string Reference, string Other, double Beta, int ExactPairs,
    int ReferenceCells, int OtherCells, int ReferenceCellsWithExactRatio, int OtherCellsWithExactRatio,
    int ReferenceInterpolating, int OtherInterpolating);

/// <summary>
/// MNIST against the Gaussian model, by normalization and β (results.json "mnist"). Two normalizations are
/// compared cell by cell, only where the comparison means something: cells are paired at the same β, resolution
/// and every other setting and at exactly the same α/M̂, which an experiment gets by giving α as a fraction of
/// M̂ (alphaOverMu: every run trains at that fraction of its own M̂); α given in input units pairs only at α = 0.
/// The comparison (<see cref="MnistPairSet.Interpolating"/>) takes the pairs below the cliff (α &lt; ¾·M̂) whose runs
/// all interpolate, since the HEURISTIC describes an interpolating network; what the other pairs say (not
/// interpolating, α ≈ M̂, α &gt; M̂) is kept apart as a sensitivity, never the answer.
/// </summary>
/// <param name="Pairs">Every exactly matched pair, in order of β, normalization, resolution and α/M̂.</param>
/// <param name="Paired">Per β, normalization and set of pairs, the paired difference (sets without pairs are left out).</param>
/// <param name="Unpaired">Per β and normalization compared, when no pair interpolates: the numbers that say why.</param>
internal sealed record MnistComparison(
    IReadOnlyList<MnistGroupAgreement> Groups,
    IReadOnlyList<MnistPair> Pairs,
    IReadOnlyList<MnistPairedGap> Paired,
    IReadOnlyList<MnistUnpaired> Unpaired)
{
    public static readonly string UnitNorm = Keys.Normalization.Format(MnistNormalization.UnitNorm);

    /// <summary>α/M̂ from which a pair is "near the collapse": the cliff where the Gaussian HEURISTIC robust error jumps (about 0.85·M̂ in the cells measured) and Theorem 3.2's α ≥ M.</summary>
    public const double NearCollapseFrom = 0.75;

    /// <summary>Fewer interpolating pairs than this are called few: a t interval over them is wide.</summary>
    public const int FewPairs = 5;

    public static MnistComparison Of(IReadOnlyList<CellSummary> cells)
    {
        var mnist = cells.Where(c => c.Parameters.Data == DataKind.Mnist && c.Measured.Runs > c.Measured.Diverged
            && double.IsFinite(c.Theory.Heuristic.Robust) && double.IsFinite(c.Measured.RobustTest.Mean)).ToList();
        var groups = mnist.GroupBy(c => (Normalization: Normalization(c), c.Parameters.Beta))
            .OrderBy(g => NormalizationOrder(g.Key.Normalization)).ThenBy(g => g.Key.Normalization, StringComparer.Ordinal).ThenBy(g => g.Key.Beta)
            .Select(g =>
            {
                var interpolating = g.Where(AllInterpolate).ToList();
                return new MnistGroupAgreement(g.Key.Normalization, g.Key.Beta, g.Count(),
                    g.Select(c => c.Settings.Get(Keys.Resolution)).Distinct().Count(),
                    interpolating.Count,
                    g.Min(c => c.Parameters.MuInNoiseUnits), g.Max(c => c.Parameters.MuInNoiseUnits),
                    interpolating.Count == 0 ? double.NaN : interpolating.Average(c => Math.Abs(CleanGap(c))),
                    interpolating.Count == 0 ? double.NaN : interpolating.Average(c => Math.Abs(RobustGap(c))),
                    g.Average(c => Math.Abs(RobustGap(c))));
            })
            .ToList();

        var pairs = new List<MnistPair>();
        var paired = new List<MnistPairedGap>();
        var unpaired = new List<MnistUnpaired>();
        foreach (var beta in mnist.Select(c => c.Parameters.Beta).Distinct().Order())
        {
            var atBeta = mnist.Where(c => c.Parameters.Beta == beta).ToList();
            if (!atBeta.Any(c => Normalization(c) == UnitNorm)) continue;
            foreach (var other in atBeta.Select(Normalization).Where(n => n != UnitNorm).Distinct().OrderBy(NormalizationOrder).ThenBy(n => n, StringComparer.Ordinal))
            {
                var these = Match(atBeta, UnitNorm, other, beta);
                pairs.AddRange(these);
                foreach (var set in Enum.GetValues<MnistPairSet>())
                {
                    var diffs = these.Where(p => p.Set == set).Select(p => p.Difference).ToList();
                    if (diffs.Count == 0) continue;
                    var s = Statistics.Of(diffs, rate: false);
                    paired.Add(new MnistPairedGap(UnitNorm, other, beta, set, diffs.Count, s.Mean, s.Count > 1 ? s.Low95 : double.NaN, s.Count > 1 ? s.High95 : double.NaN));
                }
                if (!these.Any(p => p.Set == MnistPairSet.Interpolating))
                {
                    var a = atBeta.Where(c => Normalization(c) == UnitNorm).ToList();
                    var b = atBeta.Where(c => Normalization(c) == other).ToList();
                    unpaired.Add(new MnistUnpaired(UnitNorm, other, beta, these.Count, a.Count, b.Count,
                        a.Count(c => ExactRatio(c) is not null), b.Count(c => ExactRatio(c) is not null), a.Count(AllInterpolate), b.Count(AllInterpolate)));
                }
            }
        }
        return new MnistComparison(groups, pairs, paired, unpaired);
    }

    public static double CleanGap(CellSummary c) => c.Measured.CleanTest.Mean - c.Theory.Heuristic.Clean;
    public static double RobustGap(CellSummary c) => c.Measured.RobustTest.Mean - c.Theory.Heuristic.Robust;

    /// <summary>Every run of the cell finished, none diverged, and every one interpolates.</summary>
    public static bool AllInterpolate(CellSummary c) => c.Measured.Runs > 0 && c.Measured.Diverged == 0 && c.Measured.InterpolationRate >= 1;

    /// <summary>α/M̂ exactly as set, or null when α was given in input units (<see cref="CellParameters.AlphaOverMuHat"/>).</summary>
    public static double? ExactRatio(CellSummary c) => CellParameters.AlphaOverMuHat(c.Settings);

    /// <summary>Which set a pair at <paramref name="ratio"/> belongs to.</summary>
    public static MnistPairSet SetOf(double ratio, bool bothInterpolate)
        => ratio > 1 ? MnistPairSet.BeyondCollapse
            : ratio >= NearCollapseFrom ? MnistPairSet.NearCollapse
            : bothInterpolate ? MnistPairSet.Interpolating : MnistPairSet.NotInterpolating;

    private static string Normalization(CellSummary c) => c.Settings.Text(Keys.Normalization);

    private static int NormalizationOrder(string n) => n == UnitNorm ? 0 : 1;

    /// <summary>
    /// The cells of the two normalizations whose settings are the same but for the normalization, at exactly the same
    /// α/M̂ (α = 0 given either way counts as α/M̂ = 0): at most one cell of each per key, since settings name a cell.
    /// </summary>
    private static List<MnistPair> Match(IReadOnlyList<CellSummary> cells, string reference, string other, double beta)
    {
        string? KeyOf(CellSummary c) => ExactRatio(c) is { } ratio
            ? c.Settings.Without(Keys.Normalization, Keys.Alpha, Keys.AlphaOverMu).CellKey + ";α/M̂=" + ratio.ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            : null;
        var byKey = cells.Where(c => Normalization(c) == reference && KeyOf(c) is not null).GroupBy(c => KeyOf(c)!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var result = new List<MnistPair>();
        foreach (var b in cells.Where(c => Normalization(c) == other))
        {
            if (KeyOf(b) is not { } key || !byKey.TryGetValue(key, out var a)) continue;
            double ratio = ExactRatio(b)!.Value;
            bool both = AllInterpolate(a) && AllInterpolate(b);
            result.Add(new MnistPair(beta, b.Settings.Get(Keys.Resolution), ratio, reference, other, a.Key, b.Key, RobustGap(a), RobustGap(b), both, SetOf(ratio, both)));
        }
        return result.OrderBy(p => p.Resolution).ThenBy(p => p.AlphaOverMu).ThenBy(p => p.OtherKey, StringComparer.Ordinal).ToList();
    }
}
