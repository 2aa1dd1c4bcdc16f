namespace Verify.Verification.Analysis;

/// <summary>
/// Fits the measured phase boundaries in log M – log d: for each M, the d where the mean error first
/// crosses β + ε going up in d (interpolating log d linearly in the error between neighbouring grid
/// points), then a least-squares line of log d on log M. The theory's slopes: 4 for clean error,
/// 2 for robust error at fixed α/M &gt; 0 (at α = 0 the robust error is the clean one: 4).
/// </summary>
internal static class PhaseBoundaries
{
    public static IReadOnlyList<PhaseBoundaryFit> Fit(IReadOnlyList<CellSummary> cells, double epsilon)
    {
        var fits = new List<PhaseBoundaryFit>();
        var gaussian = cells.Where(c => c.Parameters.IsGaussian && c.Runs > c.Diverged).ToList();
        foreach (var group in gaussian.GroupBy(c => Math.Round(c.Parameters.AlphaOverMu, 9)).OrderBy(g => g.Key))
        {
            foreach (var metric in new[] { "clean", "robust" })
            {
                if (metric == "robust" && group.Key == 0) continue; // identical to clean
                var points = new List<BoundaryPoint>();
                foreach (var byMu in group.GroupBy(c => c.Parameters.Mu).OrderBy(g => g.Key))
                {
                    var series = byMu.OrderBy(c => c.Parameters.D)
                        .Select(c => (D: c.Parameters.D, E: metric == "clean" ? c.CleanTest.Mean : c.RobustTest.Mean, Beta: c.Parameters.Beta)).ToList();
                    if (series.Count < 2) continue;
                    double target = series[0].Beta + epsilon;
                    for (int i = 0; i + 1 < series.Count; i++)
                    {
                        var (a, b) = (series[i], series[i + 1]);
                        if (a.E <= target && b.E > target)
                        {
                            double t = (target - a.E) / (b.E - a.E);
                            points.Add(new BoundaryPoint(byMu.Key, Math.Exp(Math.Log(a.D) + t * (Math.Log(b.D) - Math.Log(a.D)))));
                            break;
                        }
                    }
                }
                double theory = metric == "clean" ? 4 : 2;
                if (points.Count < 2)
                {
                    if (group.Select(c => c.Parameters.Mu).Distinct().Count() >= 2)
                        fits.Add(new PhaseBoundaryFit(metric, group.Key, points, double.NaN, double.NaN, double.NaN, double.NaN, theory,
                            $"the {metric} error crosses β + ε inside the d grid for {points.Count} value(s) of M; a slope needs 2 (3 for an interval)"));
                    continue;
                }
                var (slope, lo, hi, intercept) = Statistics.LinearFit(points.Select(p => Math.Log(p.Mu)).ToList(), points.Select(p => Math.Log(p.D)).ToList());
                fits.Add(new PhaseBoundaryFit(metric, group.Key, points, slope, lo, hi, intercept, theory,
                    points.Count < 3 ? "two points: no interval" : null, HeuristicSlope(group.First().Parameters, metric, group.Key, points, epsilon)));
            }
        }
        return fits;
    }

    /// <summary>The slope of the HEURISTIC boundary d(M) fitted at the measured boundary's values of M (in noise units).</summary>
    private static double HeuristicSlope(CellParameters p, string metric, double alphaOverMu, List<BoundaryPoint> points, double epsilon)
    {
        var pairs = points.Select(pt => (pt.Mu, D: HeuristicBoundary(p with { Mu = pt.Mu }, metric, alphaOverMu, epsilon)))
            .Where(t => t.D is { } d && double.IsFinite(d) && d > 0).ToList();
        if (pairs.Count < 2) return double.NaN;
        return Statistics.LinearFit(pairs.Select(t => Math.Log(t.Mu)).ToList(), pairs.Select(t => Math.Log(t.D!.Value)).ToList()).Slope;
    }

    /// <summary>The d at which the HEURISTIC error reaches β + ε at this cell's M (noise units) and α/M; +∞ or null as the inverse query says.</summary>
    public static double? HeuristicBoundary(CellParameters p, string metric, double alphaOverMu, double epsilon) => metric == "clean"
        ? Bounds.Inverse.InverseQueries.HeuristicCleanBoundary(p.N, p.MuInNoiseUnits, p.Beta, epsilon)
        : Bounds.Inverse.InverseQueries.HeuristicRobustBoundary(p.N, p.MuInNoiseUnits, alphaOverMu, p.Beta, epsilon);
}
