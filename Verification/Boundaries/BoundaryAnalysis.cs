using Verify.Verification.Analysis;

namespace Verify.Verification.Boundaries;

/// <summary>
/// A least-squares slope of log d on log M with its 95% t interval (NaN with fewer than 3 points), which reflects the
/// points' scatter about the line only; and the slopes the brackets at the first and last M allow (each crossing
/// anywhere in its bracket), which reflect how finely each crossing is known.
/// </summary>
internal sealed record SlopeFit(double Slope, double Low95, double High95, int Points, double MuFrom, double MuTo, double BracketLow, double BracketHigh)
{
    public bool Contains(double s) => s >= Low95 && s <= High95;

    public bool BracketsAllow(double s) => s >= BracketLow && s <= BracketHigh;
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
        => results.GroupBy(r => FamilyLabel(r.Curve)).Select(g => Family(g.Key, g.ToList(), metric)).ToList();

    private static string FamilyLabel(BoundaryCurve c) => BoundaryRunner.Label(c.Axes.Where(kv => kv.Key != "mu"));

    private static BoundaryFamily Family(string label, IReadOnlyList<BoundaryResult> curves, BoundaryMetric metric)
    {
        var ratios = curves.Select(c => Math.Round(c.Curve.Parameters.AlphaOverMu, 9)).Distinct().ToList();
        double ratio = ratios.Count == 1 ? ratios[0] : double.NaN;
        double theory = metric == BoundaryMetric.Clean || ratio == 0 ? 4 : ratios.Count == 1 ? 2 : double.NaN;
        var located = curves.Where(c => c.Located).OrderBy(c => c.Curve.Parameters.MuInNoiseUnits).ToList();
        var large = located.Skip(located.Count - LargeHalf(located.Count)).ToList();
        return new BoundaryFamily(label, ratio, theory, curves, Fit(located), Fit(large), HeuristicSlope(located), HeuristicSlope(large), LocalSlopes(located));
    }

    /// <summary>The largest-M half of k points, at least 3 (a slope interval needs 3) when there are that many.</summary>
    public static int LargeHalf(int k) => Math.Min(k, Math.Max(3, (k + 1) / 2));

    public static SlopeFit? Fit(IReadOnlyList<BoundaryResult> points)
    {
        if (points.Count < 2) return null;
        var (s, lo, hi, _) = Statistics.LinearFit(points.Select(p => Math.Log(p.Curve.Parameters.MuInNoiseUnits)).ToList(), points.Select(p => Math.Log(p.Estimate)).ToList());
        var (first, last) = (points[0], points[^1]);
        double dm = Math.Log(last.Curve.Parameters.MuInNoiseUnits) - Math.Log(first.Curve.Parameters.MuInNoiseUnits);
        return new SlopeFit(s, lo, hi, points.Count, first.Curve.Parameters.MuInNoiseUnits, last.Curve.Parameters.MuInNoiseUnits,
            (Math.Log(last.CrossingLow) - Math.Log(first.CrossingHigh)) / dm, (Math.Log(last.CrossingHigh) - Math.Log(first.CrossingLow)) / dm);
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
