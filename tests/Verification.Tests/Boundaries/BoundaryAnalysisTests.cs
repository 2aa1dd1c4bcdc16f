using Verify.Simulation.Settings;
using Verify.Verification.Analysis;
using Verify.Verification.Boundaries;
using Verify.Verification.Output;
using Verify.Verification.Text;
using Verify.Verification.Cells;
using Verify.Verification.Experiments;

namespace Verify.Verification.Tests.Boundaries;

/// <summary>The slopes of d(M) from located boundaries known in closed form.</summary>
public class BoundaryAnalysisTests
{
    /// <summary>A located boundary at d = c·M^k with a bracket ±<paramref name="half"/> decades around it.</summary>
    private static BoundaryResult Point(double mu, double ratio, double d, double half = 0.05, double? heuristic = null)
    {
        var p = new CellParameters(DataKind.Gaussian, 100, double.NaN, 100, mu, ratio * mu, 0.1);
        var curve = new BoundaryCurve($"M = {mu}, α/M = {ratio}", new Dictionary<Setting, object> { [Keys.Mu] = mu, [Keys.AlphaOverMu] = ratio }, p);
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
        // Two families of 3 points in their largest-M halves leave 6 − 4 = 2 degrees of freedom: no interval, the brackets decide.
        Assert.That(robust.LargeM.HasInterval, Is.False);
        Assert.That(robust.All!.HasInterval, Is.True, "12 points in 2 families: 8 degrees of freedom");
        Assert.That(robust.All.DegreesOfFreedom, Is.EqualTo(8));
        Assert.That(BoundarySummary.Headline(families, results)[1], Does.Contain("(no interval: 6 points in 2 families leave 2 degrees of freedom for the scatter, 3 needed)")
            .And.Contain("the STATED asymptote 2 is inside what the brackets allow"));
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

    /// <summary>
    /// The α/M = 0.2 case of reports/asymptotic: two families of 9 points scatter by ±0.15 in ln d about slope 2, the third
    /// has 8 points whose largest-M half (4 points) lies almost exactly on a line of slope 1.93. Its own t interval (2 degrees
    /// of freedom) would be ±0.003 and exclude 2; pooled, its points scatter like the others'.
    /// </summary>
    [Test]
    public void A_tight_four_point_family_is_read_with_the_pooled_interval()
    {
        double[] pattern = [0.15, -0.15, 0, -0.15, 0.15]; // orthogonal to 1 and to equally spaced ln M: RSS = 0.09 per family
        double[] tiny = [0.001, -0.001, -0.001, 0.001];
        var mus = new[] { 4.0, 8, 16, 32, 64, 128, 256, 512, 1024 };
        var results = new List<BoundaryResult>();
        foreach (var ratio in new[] { 0.05, 0.1 })
            results.AddRange(mus.Select((m, i) => Point(m, ratio, 1e3 * m * m * Math.Exp(i >= 4 ? pattern[i - 4] : 0), half: 0.01)));
        results.AddRange(mus.Skip(1).Select((m, i) => Point(m, 0.2, 1e3 * Math.Pow(m, 1.93) * Math.Exp(i >= 4 ? tiny[i - 4] : 0), half: 0.01)));
        var families = BoundaryAnalysis.Families(results, BoundaryMetric.Robust);
        var tight = families.Single(f => f.AlphaOverMu == 0.2).LargeM!;
        Assert.That((tight.Points, tight.DegreesOfFreedom, tight.PooledFamilies, tight.PooledPoints), Is.EqualTo((4, 8, 3, 14)));
        // Equal brackets: each point's variance is the pooled residual variance (0.18 + 4·10⁻⁶)/8; Sxx = 5·ln²2 at 4 doublings of M.
        double se = Math.Sqrt((0.18 + 4e-6) / 8 / (5 * Math.Log(2) * Math.Log(2)));
        Assert.That(tight.Slope, Is.EqualTo(1.93).Within(1e-9));
        Assert.That(tight.StandardError, Is.EqualTo(se).Within(1e-9));
        Assert.That(tight.High95 - tight.Slope, Is.EqualTo(2.306004135 * se).Within(1e-8), "t(8, 0.975)");
        Assert.That(tight.OwnScatter, Is.LessThan(0.002), "its own residuals are tiny");
        string line = BoundarySummary.Headline(families, results).Single(l => l.StartsWith("α/M = 0.2"));
        Assert.That(line, Does.Contain($"1.93 [{Fmt.Num(tight.Low95, 3)}, {Fmt.Num(tight.High95, 3)}] (95%: the brackets and a scatter τ = ")
            .And.Contain("common to the 3 families, 8 degrees of freedom)")
            .And.Contain("the STATED asymptote 2 is inside the interval"));

        // Brackets wider than the scatter (±0.3 decades: u = 0.6·ln 10/√12 ≈ 0.40 > 0.15) widen the interval to what they allow.
        var wide = BoundaryAnalysis.Families([.. results.Select(r => r with { CrossingLow = r.Estimate / Math.Pow(10, 0.3), CrossingHigh = r.Estimate * Math.Pow(10, 0.3) })], BoundaryMetric.Robust)
            .Single(f => f.AlphaOverMu == 0.2).LargeM!;
        Assert.That(wide.Scatter, Is.EqualTo(0));
        Assert.That(wide.StandardError, Is.EqualTo(0.6 * Math.Log(10) / Math.Sqrt(12) / Math.Sqrt(5 * Math.Log(2) * Math.Log(2))).Within(1e-9));
        Assert.That(wide.High95 - wide.Low95, Is.GreaterThan(2 * (tight.High95 - tight.Low95)));
        Assert.That(wide.Slope, Is.EqualTo(tight.Slope), "brackets never move the slope");
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
