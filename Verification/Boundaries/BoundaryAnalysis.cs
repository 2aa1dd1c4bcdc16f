using Verify.Simulation.Settings;
using Verify.Verification.Analysis;
using Verify.Verification.Experiments;

namespace Verify.Verification.Boundaries;

/// <summary>
/// A least-squares slope of ln d on ln M with its 95% interval under the pooled rule of <see cref="PooledSlopes"/>:
/// each crossing's uncertainty from its bracket plus a scatter common to all families of the report
/// (<see cref="Scatter"/>, τ in ln d, on <see cref="DegreesOfFreedom"/> = <see cref="PooledPoints"/> − 2·<see cref="PooledFamilies"/>);
/// NaN bounds when those degrees of freedom are fewer than 3. <see cref="OwnScatter"/> is this family's own residual SD and
/// <see cref="ExpectedScatter"/> the one the common model expects of it: diagnostics, never the interval's basis. And the slopes the brackets at the first and last M allow (each crossing
/// anywhere in its bracket), which reflect how finely each crossing is known.
/// </summary>
internal sealed record SlopeFit(double Slope, double Low95, double High95, int Points, double MuFrom, double MuTo, double BracketLow, double BracketHigh,
    double StandardError, double OwnScatter, double ExpectedScatter, double Scatter, int DegreesOfFreedom, int PooledFamilies, int PooledPoints)
{
    public bool HasInterval => double.IsFinite(Low95) && double.IsFinite(High95);

    public bool Contains(double s) => HasInterval && s >= Low95 && s <= High95;

    public bool BracketsAllow(double s) => s >= BracketLow && s <= BracketHigh;

    /// <summary>What the interval rests on, in words (the same for every family of a report).</summary>
    public string Basis => PooledFit.Describe(PooledPoints, PooledFamilies, DegreesOfFreedom, Scatter);
}

/// <summary>
/// The slope of the boundary between two neighbouring M: from the estimates, and the range of slopes the
/// two brackets allow (each crossing anywhere in its bracket; this is not a confidence interval).
/// </summary>
internal sealed record LocalSlope(double MuFrom, double MuTo, double Slope, double Low, double High, double Heuristic)
{
    /// <summary>The geometric middle of the two M, where the local slope is drawn.</summary>
    public double MuMiddle => Math.Sqrt(MuFrom * MuTo);
}

/// <summary>
/// The curves that differ only in M (one value of every other axis, for example α/M = 0.1): the boundary
/// d(M), its fitted slope over all points and over the largest-M half, the HEURISTIC boundary's slopes at the
/// same M, and the local slopes between neighbours. <see cref="TheorySlope"/> is the asymptotic slope the paper
/// states: 4 for the clean error (and the robust error at α = 0), 2 for the robust error at fixed α/M &gt; 0.
/// </summary>
internal sealed record BoundaryFamily(
    string Label, double AlphaOverMu, double TheorySlope, IReadOnlyList<BoundaryResult> Curves,
    SlopeFit? All, SlopeFit? LargeM, double HeuristicAll, double HeuristicLargeM, IReadOnlyList<LocalSlope> Local)
{
    /// <summary>The located points, by M.</summary>
    public IReadOnlyList<BoundaryResult> Located => Curves.Where(c => c.Located).OrderBy(c => c.Curve.Parameters.MuInNoiseUnits).ToList();
}

/// <summary>Groups the searches into families along M and measures their slopes. Pure: results in, numbers out.</summary>
internal static class BoundaryAnalysis
{
    public static IReadOnlyList<BoundaryFamily> Families(IReadOnlyList<BoundaryResult> results, BoundaryMetric metric)
    {
        var groups = results.GroupBy(r => FamilyLabel(r.Curve)).Select(g => (Label: g.Key, Curves: (IReadOnlyList<BoundaryResult>)g.ToList())).ToList();
        var located = groups.Select(g => (IReadOnlyList<BoundaryResult>)g.Curves.Where(c => c.Located).OrderBy(c => c.Curve.Parameters.MuInNoiseUnits).ToList()).ToList();
        var large = located.Select(l => (IReadOnlyList<BoundaryResult>)l.Skip(l.Count - LargeHalf(l.Count)).ToList()).ToList();
        // One pooled fit over every family's points, another over every family's largest-M half.
        var (all, half) = (Fits(located), Fits(large));
        return groups.Select((g, i) => Family(g.Label, g.Curves, metric, located[i], large[i], all[i], half[i])).ToList();
    }

    private static string FamilyLabel(BoundaryCurve c) => BoundaryRunner.Label(c.Axes.Where(kv => kv.Key != Keys.Mu));

    private static BoundaryFamily Family(string label, IReadOnlyList<BoundaryResult> curves, BoundaryMetric metric,
        IReadOnlyList<BoundaryResult> located, IReadOnlyList<BoundaryResult> large, SlopeFit? all, SlopeFit? half)
    {
        var ratios = curves.Select(c => Math.Round(c.Curve.Parameters.AlphaOverMu, 9)).Distinct().ToList();
        double ratio = ratios.Count == 1 ? ratios[0] : double.NaN;
        double theory = metric == BoundaryMetric.Clean || ratio == 0 ? 4 : ratios.Count == 1 ? 2 : double.NaN;
        return new BoundaryFamily(label, ratio, theory, curves, all, half, HeuristicSlope(located), HeuristicSlope(large), LocalSlopes(located));
    }

    /// <summary>The largest-M half of k points, at least 3 when there are that many.</summary>
    public static int LargeHalf(int k) => Math.Min(k, Math.Max(3, (k + 1) / 2));

    /// <summary>
    /// The slope of each family's located points (by M), fitted together under <see cref="PooledSlopes"/>: each crossing
    /// uncertain within its bracket, plus a scatter common to the families; null for a family with fewer than 2 points.
    /// </summary>
    public static IReadOnlyList<SlopeFit?> Fits(IReadOnlyList<IReadOnlyList<BoundaryResult>> families)
    {
        var pooled = PooledSlopes.Fit(families.Select(f => (IReadOnlyList<LogPoint>)f.Select(p => new LogPoint(
            Math.Log(p.Curve.Parameters.MuInNoiseUnits), Math.Log(p.Estimate), Math.Log(p.CrossingLow), Math.Log(p.CrossingHigh))).ToList()).ToList());
        return families.Select((points, i) =>
        {
            if (pooled.Lines[i] is not { } line) return null;
            var (first, last) = (points[0], points[^1]);
            double dm = Math.Log(last.Curve.Parameters.MuInNoiseUnits) - Math.Log(first.Curve.Parameters.MuInNoiseUnits);
            return new SlopeFit(line.Slope, line.Low95, line.High95, points.Count, first.Curve.Parameters.MuInNoiseUnits, last.Curve.Parameters.MuInNoiseUnits,
                (Math.Log(last.CrossingLow) - Math.Log(first.CrossingHigh)) / dm, (Math.Log(last.CrossingHigh) - Math.Log(first.CrossingLow)) / dm,
                line.StandardError, line.OwnScatter, line.ExpectedScatter, pooled.Scatter, pooled.DegreesOfFreedom, pooled.Families, pooled.Points);
        }).ToList();
    }

    private static double HeuristicSlope(IReadOnlyList<BoundaryResult> points)
    {
        var ok = points.Where(p => p.Heuristic is { } h && double.IsFinite(h) && h > 0).ToList();
        return ok.Count < 2 ? double.NaN
            : Statistics.LinearFit(ok.Select(p => Math.Log(p.Curve.Parameters.MuInNoiseUnits)).ToList(), ok.Select(p => Math.Log(p.Heuristic!.Value)).ToList()).Slope;
    }

    public static IReadOnlyList<LocalSlope> LocalSlopes(IReadOnlyList<BoundaryResult> located)
    {
        var slopes = new List<LocalSlope>();
        for (int k = 0; k + 1 < located.Count; k++)
        {
            var (a, b) = (located[k], located[k + 1]);
            double dm = Math.Log(b.Curve.Parameters.MuInNoiseUnits) - Math.Log(a.Curve.Parameters.MuInNoiseUnits);
            if (!(dm > 0)) continue;
            double Slope(double da, double db) => (Math.Log(db) - Math.Log(da)) / dm;
            double h = a.Heuristic is { } ha && b.Heuristic is { } hb && double.IsFinite(ha) && double.IsFinite(hb) && ha > 0 && hb > 0 ? Slope(ha, hb) : double.NaN;
            slopes.Add(new LocalSlope(a.Curve.Parameters.MuInNoiseUnits, b.Curve.Parameters.MuInNoiseUnits, Slope(a.Estimate, b.Estimate),
                Slope(a.CrossingHigh, b.CrossingLow), Slope(a.CrossingLow, b.CrossingHigh), h));
        }
        return slopes;
    }
}
