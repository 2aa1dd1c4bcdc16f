using Verify.Simulation.Settings;
using Verify.Verification.Analysis;
using Verify.Verification.Claims;
using Verify.Verification.Output;
using Verify.Verification.Text;
using Verify.Verification.Cells;

namespace Verify.Verification.Tests.Analysis;

/// <summary>
/// The report-level phase-boundary slopes (`verify report`): crossings between grid values of d, fitted per (metric, α/M),
/// with intervals pooled across the report's fits (<see cref="PooledSlopes"/>), never from 3 points on their own.
/// </summary>
public class PhaseBoundariesTests
{
    private const double Step = 0.5; // grid step in log₁₀ d
    private static readonly double[] Grid = [.. Enumerable.Range(0, 17).Select(i => Math.Pow(10, 2 + Step * i))];

    /// <summary>
    /// Cells on the grid whose mean errors are linear in log₁₀ d and reach β + ε = 0.15 exactly at d* (so the interpolated
    /// crossing is d* itself): clean at 10^(cClean)·M^4·e^r, robust at 10^(cRobust)·M²·e^r, with r the residual pattern.
    /// </summary>
    private static List<CellSummary> Cells(double ratio, double[] mus, double[] residuals, double cClean, double cRobust)
    {
        var cells = new List<CellSummary>();
        for (int i = 0; i < mus.Length; i++)
        {
            double mu = mus[i];
            double clean = Math.Log10(Math.Pow(10, cClean) * Math.Pow(mu, 4)) + residuals[i] / Math.Log(10);
            double robust = Math.Log10(Math.Pow(10, cRobust) * mu * mu) + residuals[i] / Math.Log(10);
            foreach (double d in Grid)
            {
                var p = new CellParameters(DataKind.Gaussian, 100, d, 100, mu, ratio * mu, 0.1);
                Statistic At(double crossing) { double e = 0.15 + 0.02 * (Math.Log10(d) - crossing); return new Statistic(3, e, 0, e, e, e, e); }
                cells.Add(new CellSummary($"mu={mu}/d={d}/r={ratio}", null!, p,
                    new CellMeasurements(3, 0, At(clean), At(robust), At(clean), At(robust), At(0), 0), CellCertification.None,
                    null!, new CellFindings(Array.Empty<ClaimResult>(), Array.Empty<SanityCheck>(), null), null!));
            }
        }
        return cells;
    }

    [TestCase(0.3)]
    [TestCase(0.05)] // 6e² = 0.015, far below what a grid step of 0.5 decades would give as a bracket (u² = 0.11): the step is not used
    public void Three_fits_of_three_points_share_one_scatter(double e)
    {
        // Residuals (e, −2e, e) at M = 4, 8, 16 are orthogonal to the line: each fit's RSS is 6e², its own t interval would rest
        // on 1 degree of freedom. Pooled: 9 points, 3 fits, ν = 3, τ̂² = 3·6e²/3. The grid neighbours are recorded but are
        // no decided bracket, so they add nothing: SE = √(τ̂²/Sxx).
        double[] mus = [4, 8, 16];
        var cells = Cells(0, mus, [e, -2 * e, e], 1, 1).Concat(Cells(0.2, mus, [-e, 2 * e, -e], 1, 1.5)).ToList();
        var fits = PhaseBoundaries.Fit(cells, 0.05);
        Assert.That(fits.Select(f => (f.Metric, f.AlphaOverMu)), Is.EqualTo(new[] { ("clean", 0.0), ("clean", 0.2), ("robust", 0.2) }));
        double sxx = 2 * Math.Log(2) * Math.Log(2);
        double se = Math.Sqrt(3 * 6 * e * e / 3 / sxx);
        foreach (var f in fits)
        {
            Assert.That(f.Points, Has.Count.EqualTo(3));
            foreach (var p in f.Points)
            {
                Assert.That(Math.Log10(p.DHigh) - Math.Log10(p.DLow), Is.EqualTo(Step).Within(1e-9), "the grid neighbours are recorded");
                Assert.That(p.D, Is.InRange(p.DLow, p.DHigh));
            }
            Assert.That(f.Slope, Is.EqualTo(f.Metric == "clean" ? 4 : 2).Within(1e-9));
            Assert.That((f.DegreesOfFreedom, f.PooledFits, f.PooledPoints), Is.EqualTo((3, 3, 9)));
            Assert.That(f.Scatter, Is.EqualTo(Math.Sqrt(6 * e * e)).Within(1e-9));
            Assert.That(f.SlopeStandardError, Is.EqualTo(se).Within(1e-9));
            Assert.That(f.SlopeHigh95 - f.Slope, Is.EqualTo(3.182446305 * se).Within(1e-8), "t(3, 0.975)");
            Assert.That(f.OwnScatter, Is.EqualTo(Math.Sqrt(6 * e * e)).Within(1e-9), "its own residual SD on 1 degree of freedom: shown, not used");
            Assert.That(f.Note, Is.Null);
        }

        var lines = Headlines.Of(Empty.Claims, [], Empty.Sanity, Empty.Certification, Empty.Heuristic, Empty.Mnist, [], fits, 0.05).Where(l => l.StartsWith("Phase boundary")).ToList();
        Assert.That(lines, Has.Count.EqualTo(3));
        Assert.That(lines[0], Does.Contain($"fitted slope 4 in log M–log d over 3 values of M [95%: {Fmt.Num(fits[0].SlopeLow95, 3)}, {Fmt.Num(fits[0].SlopeHigh95, 3)}; ")
            .And.Contain($"; from a scatter τ = {Fmt.Num(Math.Sqrt(6 * e * e), 2)} in ln d common to the 3 fits, 3 degrees of freedom]").And.Contain("the interval contains the STATED asymptotic slope 4"));
    }

    [Test]
    public void Fewer_than_three_degrees_of_freedom_give_no_interval_and_no_verdict()
    {
        // Two fits of three points (α/M = 0.2, clean and robust): 6 − 4 = 2 degrees of freedom.
        var fits = PhaseBoundaries.Fit(Cells(0.2, [4, 8, 16], [0.001, -0.002, 0.001], 1, 1.5), 0.05);
        Assert.That(fits, Has.Count.EqualTo(2));
        foreach (var f in fits)
        {
            Assert.That(double.IsFinite(f.Slope), Is.True);
            Assert.That(double.IsNaN(f.SlopeLow95) && double.IsNaN(f.SlopeHigh95), Is.True, "3 points each: no interval from their own tiny scatter");
            Assert.That(f.Note, Is.EqualTo("no interval: 6 points in 2 fits leave 2 degrees of freedom for the scatter, 3 needed"));
        }
        var lines = Headlines.Of(Empty.Claims, [], Empty.Sanity, Empty.Certification, Empty.Heuristic, Empty.Mnist, [], fits, 0.05).Where(l => l.StartsWith("Phase boundary")).ToList();
        Assert.That(lines, Has.All.Contain("(no interval: 6 points in 2 fits leave 2 degrees of freedom for the scatter, 3 needed)"));
        Assert.That(lines, Has.None.Contain("contains").And.None.Contain("excludes"));
    }

    [Test]
    public void An_interval_that_misses_the_stated_slope_is_read_as_excluding_it()
    {
        // Clean boundaries of slope 3 with small residuals at five M: the pooled interval (one fit, ν = 3) excludes 4.
        double[] mus = [4, 8, 16, 32, 64];
        var fits = PhaseBoundaries.Fit(Cells(0, mus, [0.05, -0.05, 0, -0.05, 0.05], 1, 1)
            .Select(c => c with { Measured = c.Measured with { CleanTest = Shift(c, mus) } }).ToList(), 0.05);
        var f = fits.Single();
        Assert.That(f.Slope, Is.EqualTo(3).Within(1e-9));
        Assert.That(f.SlopeHigh95, Is.LessThan(4));
        var line = Headlines.Of(Empty.Claims, [], Empty.Sanity, Empty.Certification, Empty.Heuristic, Empty.Mnist, [], fits, 0.05).Single(l => l.StartsWith("Phase boundary"));
        Assert.That(line, Does.Contain("the interval excludes the STATED asymptotic slope 4"));
    }

    /// <summary>The clean error of a cell moved so that its crossing follows M³ instead of M⁴.</summary>
    private static Statistic Shift(CellSummary c, double[] mus)
    {
        double e = c.Measured.CleanTest.Mean + 0.02 * Math.Log10(c.Parameters.Mu);
        return new Statistic(3, e, 0, e, e, e, e);
    }

    [Test]
    public void Another_noise_model_is_fitted_apart_without_a_heuristic_slope()
    {
        double[] mus = [4, 8, 16];
        var plain = Cells(0.2, mus, [0.01, -0.02, 0.01], 1, 1.5);
        var other = Cells(0.2, mus, [-0.01, 0.02, -0.01], 0.5, 1)
            .Select(c => c with { Parameters = c.Parameters with { Noise = NoiseFamily.GaussLaplace, Flips = LabelNoise.Margin } }).ToList();
        var alone = PhaseBoundaries.Fit(plain, 0.05);
        var fits = PhaseBoundaries.Fit(other.Concat(plain).ToList(), 0.05);
        Assert.That(fits.Select(f => (f.Metric, f.Model)), Is.EqualTo(new (string, string?)[]
        {
            ("clean", null), ("robust", null),
            ("clean", "noise = gauss-laplace, labelNoise = margin"), ("robust", "noise = gauss-laplace, labelNoise = margin"),
        }));
        for (int k = 0; k < 2; k++)
        {
            // The Gaussian-random fits are the same lines with the same HEURISTIC slope (only the pooled scatter is shared).
            Assert.That(fits[k].Slope, Is.EqualTo(alone[k].Slope));
            Assert.That(fits[k].HeuristicSlope, Is.EqualTo(alone[k].HeuristicSlope));
            Assert.That(double.IsFinite(fits[k].HeuristicSlope), Is.True);
            Assert.That(fits[k + 2].Slope, Is.EqualTo(fits[k].Slope).Within(1e-9), "the same slope, another offset");
            Assert.That(double.IsNaN(fits[k + 2].HeuristicSlope), Is.True, "not computed outside Gaussian noise with random flips");
        }
        var lines = Headlines.Of(Empty.Claims, [], Empty.Sanity, Empty.Certification, Empty.Heuristic, Empty.Mnist, [], fits, 0.05).Where(l => l.StartsWith("Phase boundary")).ToList();
        Assert.That(lines[2], Does.StartWith("Phase boundary (clean error = β + 0.05, α/M = 0.2, noise = gauss-laplace, labelNoise = margin): fitted slope"));
        Assert.That(lines[2], Does.Not.Contain("HEURISTIC"));
        Assert.That(lines[0], Does.StartWith("Phase boundary (clean error = β + 0.05, α/M = 0.2): fitted slope"));
    }
}

/// <summary>The parts of a report's headlines that a phase-boundary test does not look at, from nothing.</summary>
internal static class Empty
{
    public static ClaimsSummary Claims => CRange.Analyze([], 1);
    public static SanitySummary Sanity => SanityChecks.Summarize([]);
    public static CertificationSummary Certification => CertificationSummary.Of([]);
    public static HeuristicAgreement Heuristic => HeuristicAgreement.Summarize([], 0.05);
    public static MnistComparison Mnist => MnistComparison.Of([]);
}
