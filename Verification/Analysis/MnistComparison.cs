namespace Verify.Verification.Analysis;

/// <summary>
/// How far MNIST cells of one normalization and one β are from the Gaussian model's HEURISTIC curve,
/// evaluated at M = M̂/σ̂ and α/σ̂ (the curve the synthetic experiment follows). The gaps are means over
/// the cells (every α and resolution) of |measured mean − HEURISTIC|: not a claim of the theorem (MNIST is
/// outside its model), a measure of how Gaussian-like the digits behave.
/// </summary>
/// <param name="Cells">Cells with finished runs and a HEURISTIC value.</param>
/// <param name="Interpolating">Of them, cells in which every run interpolates.</param>
/// <param name="MuInNoiseUnitsLow">Smallest M̂/σ̂ over the cells.</param>
/// <param name="CleanGap">Mean |measured − HEURISTIC| clean error (noisy labels).</param>
/// <param name="RobustGap">Mean |measured − HEURISTIC| robust error (noisy labels; at α = 0 the clean error).</param>
internal sealed record MnistGroupAgreement(
    string Normalization,
    double Beta,
    int Cells,
    int Resolutions,
    int Interpolating,
    double MuInNoiseUnitsLow,
    double MuInNoiseUnitsHigh,
    double CleanGap,
    double RobustGap);

/// <summary>
/// Two normalizations at one β, cell by cell: cells are paired by resolution and by the rank of α
/// within it (the experiment sweeps the same fractions of M̂ under every normalization), and the paired
/// differences of |measured − HEURISTIC| robust error give a mean and a 95% t interval.
/// </summary>
/// <param name="Difference">Mean over pairs of (gap under <paramref name="Other"/>) − (gap under <paramref name="Reference"/>): negative when the other normalization is closer to the Gaussian curve.</param>
internal sealed record MnistPairedGap(string Reference, string Other, double Beta, int Pairs, double Difference, double Low95, double High95)
{
    /// <summary>The 95% interval excludes 0.</summary>
    public bool Significant => Pairs >= 2 && (High95 < 0 || Low95 > 0);
}

/// <summary>MNIST against the Gaussian model, by normalization and β (results.json "mnist").</summary>
internal sealed record MnistComparison(IReadOnlyList<MnistGroupAgreement> Groups, IReadOnlyList<MnistPairedGap> Paired)
{
    public const string UnitNorm = "unit-norm";

    public static MnistComparison Of(IReadOnlyList<CellSummary> cells)
    {
        var mnist = cells.Where(c => c.Parameters.Data == "mnist" && c.Runs > c.Diverged
            && double.IsFinite(c.Theory.HeuristicRobust) && double.IsFinite(c.RobustTest.Mean)).ToList();
        var groups = mnist.GroupBy(c => (Normalization: c.Settings.Choice("normalization"), c.Parameters.Beta))
            .OrderBy(g => g.Key.Normalization == UnitNorm ? 0 : 1).ThenBy(g => g.Key.Normalization, StringComparer.Ordinal).ThenBy(g => g.Key.Beta)
            .Select(g => new MnistGroupAgreement(g.Key.Normalization, g.Key.Beta, g.Count(),
                g.Select(c => c.Settings.Int("resolution")).Distinct().Count(),
                g.Count(c => c.InterpolationRate >= 1),
                g.Min(c => c.Parameters.MuInNoiseUnits), g.Max(c => c.Parameters.MuInNoiseUnits),
                g.Average(c => Math.Abs(CleanGap(c))), g.Average(c => Math.Abs(RobustGap(c)))))
            .ToList();

        var paired = new List<MnistPairedGap>();
        foreach (var beta in mnist.Select(c => c.Parameters.Beta).Distinct().Order())
        {
            var atBeta = mnist.Where(c => c.Parameters.Beta == beta).ToList();
            var reference = atBeta.Any(c => c.Settings.Choice("normalization") == UnitNorm) ? UnitNorm : null;
            if (reference is null) continue;
            foreach (var other in atBeta.Select(c => c.Settings.Choice("normalization")).Where(n => n != reference).Distinct().Order(StringComparer.Ordinal))
            {
                var diffs = Pairs(atBeta, reference, other).Select(p => Math.Abs(RobustGap(p.Other)) - Math.Abs(RobustGap(p.Reference))).ToList();
                if (diffs.Count == 0) continue;
                var s = Statistics.Of(diffs, rate: false);
                paired.Add(new MnistPairedGap(reference, other, beta, diffs.Count, s.Mean, s.Count > 1 ? s.Low95 : double.NaN, s.Count > 1 ? s.High95 : double.NaN));
            }
        }
        return new MnistComparison(groups, paired);
    }

    public static double CleanGap(CellSummary c) => c.CleanTest.Mean - c.Theory.HeuristicClean;
    public static double RobustGap(CellSummary c) => c.RobustTest.Mean - c.Theory.HeuristicRobust;

    /// <summary>How far apart the α/M̂ of two paired cells may be, relative to the larger (M̂ is measured, so equal fractions come out near-equal).</summary>
    public const double PairTolerance = 0.2;

    /// <summary>
    /// Cells of the two normalizations at the same resolution and the same rank of α there, where both sweep as
    /// many α and the two α/M̂ agree within <see cref="PairTolerance"/>.
    /// </summary>
    private static IEnumerable<(CellSummary Reference, CellSummary Other)> Pairs(IReadOnlyList<CellSummary> cells, string reference, string other)
    {
        foreach (var res in cells.GroupBy(c => c.Settings.Int("resolution")))
        {
            var a = res.Where(c => c.Settings.Choice("normalization") == reference).OrderBy(c => c.Parameters.Alpha).ToList();
            var b = res.Where(c => c.Settings.Choice("normalization") == other).OrderBy(c => c.Parameters.Alpha).ToList();
            if (a.Count != b.Count) continue;
            for (int i = 0; i < a.Count; i++)
            {
                double ra = a[i].Parameters.AlphaOverMu, rb = b[i].Parameters.AlphaOverMu;
                if (Math.Abs(ra - rb) <= PairTolerance * Math.Max(ra, rb)) yield return (a[i], b[i]);
            }
        }
    }
}
