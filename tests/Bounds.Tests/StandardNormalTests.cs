using Verify.Bounds.Normal;

namespace Verify.Bounds.Tests;

/// <summary>Φ against 30-digit mpmath values (mp.ncdf), the tails included.</summary>
public class StandardNormalTests
{
    // x, Φ(x) from mpmath with mp.dps = 40.
    private static readonly object[] Reference =
    [
        new object[] { -37.5, 4.6053530095819548438e-308 },
        new object[] { -30.0, 4.9067139271481870595e-198 },
        new object[] { -20.0, 2.7536241186062336951e-89 },
        new object[] { -10.0, 7.619853024160526066e-24 },
        new object[] { -5.0, 2.8665157187919391167e-7 },
        new object[] { -1.5, 0.066807201268858066004 },
        new object[] { -1.0, 0.15865525393145705141 },
        new object[] { -0.1, 0.46017216272297101633 },
        new object[] { 0.0, 0.5 },
        new object[] { 0.5, 0.69146246127401310364 },
        new object[] { 1.0, 0.84134474606854294859 },
        new object[] { 3.0, 0.99865010196836990547 },
        new object[] { 8.0, 0.9999999999999993779 },
    ];

    [TestCaseSource(nameof(Reference))]
    public void Cdf_matches_mpmath_to_full_double_precision(double x, double expected)
        => Close.Rel(StandardNormal.Cdf(x), expected, 4e-16 * 4, $"Φ({x})");

    [TestCaseSource(nameof(Reference))]
    public void UpperTail_is_the_mirror_without_cancellation(double x, double expected)
        => Close.Rel(StandardNormal.UpperTail(-x), expected, 1.6e-15, $"Q({-x})");

    [Test]
    public void Subnormal_tail_is_not_flushed_to_zero()
    {
        // Φ(−38) = 2.8854283600687843e−316 is subnormal: representable to about 1e−8 relative.
        double v = StandardNormal.Cdf(-38);
        Assert.That(v, Is.GreaterThan(0));
        Close.Rel(v, 2.8854283600687843084e-316, 1e-7, "Φ(−38)");
    }

    [Test]
    public void Infinite_and_nan_arguments()
    {
        Assert.That(StandardNormal.Cdf(double.NegativeInfinity), Is.EqualTo(0));
        Assert.That(StandardNormal.Cdf(double.PositiveInfinity), Is.EqualTo(1));
        Assert.That(double.IsNaN(StandardNormal.Cdf(double.NaN)));
    }

    [Test]
    public void Quantile_inverts_the_cdf()
    {
        Close.Rel(StandardNormal.Quantile(0.0625), -1.5341205443525463117, 1e-12, "Φ⁻¹(0.0625)");
        foreach (double x in new[] { -8.0, -3.0, -0.7, 0.2, 2.5 })
            Close.Rel(StandardNormal.Quantile(StandardNormal.Cdf(x)), x, 1e-9, $"Φ⁻¹(Φ({x}))");
    }

    [Test]
    public void Cdf_is_monotone_and_density_is_its_derivative()
    {
        double prev = 0;
        for (double x = -40; x <= 10; x += 0.25)
        {
            double v = StandardNormal.Cdf(x);
            Assert.That(v, Is.GreaterThanOrEqualTo(prev), $"Φ decreasing at {x}");
            prev = v;
        }
        foreach (double x in new[] { -2.0, 0.3, 1.7 })
        {
            double h = 1e-5;
            double fd = (StandardNormal.Cdf(x + h) - StandardNormal.Cdf(x - h)) / (2 * h);
            Close.Rel(fd, StandardNormal.Pdf(x), 1e-8, $"Φ'({x})");
        }
    }
}
