using Verify.Verification.Cells;
namespace Verify.Verification.Analysis;

/// <summary>
/// Fits the measured phase boundaries in log M – log d: for each M, the d where the mean error first
/// crosses β + ε going up in d (interpolating log d linearly in the error between neighbouring grid
/// points), then a least-squares line of log d on log M per (metric, α/M). The slopes' intervals rest on a
/// residual scatter pooled across all of a report's fits (<see cref="PooledSlopes"/> without brackets): a few
/// points never get an interval from their own scatter alone. The theory's slopes: 4 for clean error, 2 for robust
/// error at fixed α/M &gt; 0 (at α = 0 the robust error is the clean one: 4). Cells of another noise law or label rule
/// (<see cref="CellParameters.NoiseModel"/>) are fitted apart, per model, and get no HEURISTIC slope: the linearized
/// interpolator is derived for Gaussian noise with random flips only.
/// </summary>
internal static class PhaseBoundaries
{
    public static IReadOnlyList<PhaseBoundaryFit> Fit(IReadOnlyList<CellSummary> cells, double epsilon)
    {
        var found = new List<(string Metric, double Ratio, List<BoundaryPoint> Points, int Mus, CellParameters First, string? Model)>();
        var gaussian = cells.Where(c => c.Parameters.IsGaussian && c.Measured.Runs > c.Measured.Diverged).ToList();
        // Gaussian noise with random flips first (model null), then each other model by name.
        foreach (var model in gaussian.GroupBy(c => c.Parameters.NoiseModel).OrderBy(g => g.Key is null ? 0 : 1).ThenBy(g => g.Key, StringComparer.Ordinal))
        foreach (var group in model.GroupBy(c => Math.Round(c.Parameters.AlphaOverMu, 9)).OrderBy(g => g.Key))
        {
            foreach (var metric in new[] { "clean", "robust" })
            {
                if (metric == "robust" && group.Key == 0) continue; // identical to clean
                var points = new List<BoundaryPoint>();
                foreach (var byMu in group.GroupBy(c => c.Parameters.Mu).OrderBy(g => g.Key))
                {
                    var series = byMu.OrderBy(c => c.Parameters.D)
                        .Select(c => (D: c.Parameters.D, E: metric == "clean" ? c.Measured.CleanTest.Mean : c.Measured.RobustTest.Mean, Beta: c.Parameters.Beta)).ToList();
                    if (series.Count < 2) continue;
                    double target = series[0].Beta + epsilon;
                    for (int i = 0; i + 1 < series.Count; i++)
                    {
                        var (a, b) = (series[i], series[i + 1]);
                        if (a.E <= target && b.E > target)
                        {
                            double t = (target - a.E) / (b.E - a.E);
                            points.Add(new BoundaryPoint(byMu.Key, Math.Exp(Math.Log(a.D) + t * (Math.Log(b.D) - Math.Log(a.D))), a.D, b.D));
                            break;
                        }
                    }
                }
                found.Add((metric, group.Key, points, group.Select(c => c.Parameters.Mu).Distinct().Count(), group.First().Parameters, model.Key));
            }
        }

        // One pooled fit over every (metric, α/M); those with fewer than 2 points have no line and add nothing. The grid
        // neighbours are where the means cross, not a decided bracket (no interval places the crossing between them, and
        // the interpolation is usually far better than a uniform guess in a grid step), so the points enter without a
        // bracket: their uncertainty is all in the common scatter.
        var pooled = PooledSlopes.Fit(found.Select(f => (IReadOnlyList<LogPoint>)f.Points
            .Select(p => new LogPoint(Math.Log(p.Mu), Math.Log(p.D), Math.Log(p.D), Math.Log(p.D))).ToList()).ToList());
        var fits = new List<PhaseBoundaryFit>();
        for (int k = 0; k < found.Count; k++)
        {
            var f = found[k];
            double theory = f.Metric == "clean" ? 4 : 2;
            if (pooled.Lines[k] is not { } line)
            {
                if (f.Mus >= 2)
                    fits.Add(new PhaseBoundaryFit(f.Metric, f.Ratio, f.Points, double.NaN, double.NaN, double.NaN, double.NaN, theory,
                        $"the {f.Metric} error crosses β + ε inside the d grid for {f.Points.Count} value(s) of M; a slope needs 2", Model: f.Model));
                continue;
            }
            fits.Add(new PhaseBoundaryFit(f.Metric, f.Ratio, f.Points, line.Slope, line.Low95, line.High95, line.Intercept, theory,
                line.HasInterval ? null : PooledFit.Describe(pooled.Points, pooled.Families, pooled.DegreesOfFreedom, pooled.Scatter, "fit", "fits", brackets: false), f.First.GaussianRandomFlips ? HeuristicSlope(f.First, f.Metric, f.Ratio, f.Points, epsilon) : double.NaN,
                line.StandardError, line.OwnScatter, line.ExpectedScatter, pooled.Scatter, pooled.DegreesOfFreedom, pooled.Families, pooled.Points, f.Model));
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
