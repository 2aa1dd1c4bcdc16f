using Verify.Verification.Analysis;
using Verify.Verification.Boundaries;

namespace Verify.Verification.Tests.Boundaries;

/// <summary>The slopes of d(M) from located boundaries known in closed form.</summary>
public class BoundaryAnalysisTests
{
    /// <summary>A located boundary at d = c·M^k with a bracket ±<paramref name="half"/> decades around it.</summary>
    private static BoundaryResult Point(double mu, double ratio, double d, double half = 0.05, double? heuristic = null)
    {
        var p = new CellParameters(CellParameters.Gaussian, 100, double.NaN, 100, mu, ratio * mu, 0.1);
        var curve = new BoundaryCurve($"M = {mu}, α/M = {ratio}", new Dictionary<string, object> { ["mu"] = mu, ["alphaOverMu"] = ratio }, p);
        double lo = d / Math.Pow(10, half), hi = d * Math.Pow(10, half);
        return new BoundaryResult(curve, BoundaryStatus.Found, d, lo, hi, new BoundaryMeasurement(lo, 0.14, 0.13, 0.15), new BoundaryMeasurement(hi, 0.16, 0.15, 0.17),
            [], [], heuristic ?? d);
    }

    [Test]
    public void A_power_law_has_its_exponent_as_every_slope()
    {
        var mus = new[] { 4.0, 8, 16, 32, 64, 128 };
        var results = mus.Select(m => Point(m, 0, 100 * Math.Pow(m, 4))).Concat(mus.Select(m => Point(m, 0.1, 1e4 * m * m))).ToList();
        var families = BoundaryAnalysis.Families(results, BoundaryMetric.Robust);
        Assert.That(families, Has.Count.EqualTo(2));
        var clean = families.Single(f => f.AlphaOverMu == 0);
        var robust = families.Single(f => f.AlphaOverMu == 0.1);
        Assert.That((clean.TheorySlope, robust.TheorySlope), Is.EqualTo((4.0, 2.0)));
        Assert.That(clean.All!.Slope, Is.EqualTo(4).Within(1e-9));
        Assert.That(robust.LargeM!.Slope, Is.EqualTo(2).Within(1e-9));
        Assert.That(robust.LargeM.Points, Is.EqualTo(3));
        Assert.That(robust.LargeM.MuFrom, Is.EqualTo(32));
        // The end brackets (±0.05 decades at M = 32 and 128, 0.602 decades apart) allow 2 ± 0.1/0.602.
        Assert.That(robust.LargeM.BracketLow, Is.EqualTo(2 - 0.1 / Math.Log10(4)).Within(1e-9));
        Assert.That(robust.LargeM.BracketHigh, Is.EqualTo(2 + 0.1 / Math.Log10(4)).Within(1e-9));
        Assert.That(BoundarySummary.Headline(families, results)[1], Does.Contain("the STATED asymptote 2 is inside the interval"));
        Assert.That(clean.Local.Select(l => l.Slope), Is.All.EqualTo(4).Within(1e-9));
        // Brackets ±0.05 decades over a factor 2 in M (0.301 decades): the local slope may lie within ±0.1/0.301.
        foreach (var l in robust.Local)
        {
            Assert.That(l.Low, Is.EqualTo(2 - 0.1 / Math.Log10(2)).Within(1e-9));
            Assert.That(l.High, Is.EqualTo(2 + 0.1 / Math.Log10(2)).Within(1e-9));
            Assert.That(l.Heuristic, Is.EqualTo(2).Within(1e-9));
            Assert.That(l.MuMiddle, Is.EqualTo(Math.Sqrt(l.MuFrom * l.MuTo)));
        }
    }

    [Test]
    public void A_bending_boundary_shows_in_the_local_slopes_and_the_largest_M_half()
    {
        // d = M²·(M² + 100): slope 4 while M² ≫ 100, 2 while M² ≪ 100, read from small M to large M backwards here.
        var mus = new[] { 1.0, 2, 4, 8, 16, 32, 64, 128 };
        var r = mus.Select(m => Point(m, 0.1, m * m * (m * m + 100))).ToList();
        var f = BoundaryAnalysis.Families(r, BoundaryMetric.Robust).Single();
        var local = f.Local.Select(l => l.Slope).ToList();
        Assert.That(local, Is.Ordered.Ascending, "the local slope rises from 2 towards 4");
        Assert.That(local[0], Is.EqualTo(2).Within(0.1));
        Assert.That(local[^1], Is.EqualTo(4).Within(0.05));
        Assert.That(f.LargeM!.Slope, Is.GreaterThan(f.All!.Slope));
    }

    [Test]
    public void Unlocated_curves_are_left_out_of_the_fits()
    {
        var located = new[] { 4.0, 8, 16 }.Select(m => Point(m, 0, Math.Pow(m, 4))).ToList();
        var above = Point(32, 0, double.NaN) with { Status = BoundaryStatus.AboveRange };
        var f = BoundaryAnalysis.Families([.. located, above], BoundaryMetric.Robust).Single();
        Assert.That(f.Located, Has.Count.EqualTo(3));
        Assert.That(f.All!.Points, Is.EqualTo(3));
        Assert.That(f.Local, Has.Count.EqualTo(2));
        Assert.That(BoundarySummary.Headline([f], [.. located, above]).Last(), Does.Contain("1 of 4 curves have no located boundary: 1 above the d range"));
    }
}
