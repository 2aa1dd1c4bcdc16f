using MathNet.Numerics.Distributions;
using Verify.Simulation.Data;
using Verify.Simulation.Data.Noise;
using Verify.Simulation.Randomness;
using Verify.Simulation.Settings;

namespace Verify.Simulation.Tests.Noise;

/// <summary>
/// The noise families (Simulation/Data/Noise) against reference values: closed forms and mpmath (40 digits) for the
/// Gauss–Laplace law's variance, CDF and quantiles, the exact spectrum of the anisotropic family, and the samplers'
/// moments and one-sample Kolmogorov–Smirnov distance at fixed seeds with derived tolerances.
/// </summary>
public class NoiseLawTests
{
    private static NoiseLaw Law(NoiseFamily family, double sigma = 1, long d = 10, double condition = 4) => NoiseLaw.Of(family, sigma, d, condition);

    [Test]
    public void Gauss_Laplace_constants_match_mpmath()
    {
        // mpmath, 40 digits: v = 1 + c² − c·φ(c)/Q(c) at c = 1; ∫z²p = 1 and ∫z⁴p = 3.76586… for the standardized density.
        Assert.That(GaussLaplaceNoise.UnitVariance, Is.EqualTo(0.4748647238390187909).Within(1e-15));
        var law = Law(NoiseFamily.GaussLaplace, sigma: 2);
        Assert.That(law.StrongLogConcavity, Is.EqualTo(0.4748647238390187909 / 4).Within(1e-15));
        Assert.That(law.Variance(7), Is.EqualTo(4).Within(1e-15));
        // The variance of the standardized density, by quadrature here too (a second path to v's closed form).
        double v = GaussLaplaceNoise.UnitVariance;
        Func<double, double> p = z => Math.Exp(-v * z * z / 2 - Math.Sqrt(v) * Math.Abs(z));
        double mass = Integrate(p, 0, 40), second = Integrate(z => z * z * p(z), 0, 40);
        Assert.That(second / mass, Is.EqualTo(1).Within(1e-12));
    }

    // mpmath: P(Z ≤ z) for the standardized Gauss–Laplace density ∝ exp(−v·z²/2 − √v·|z|), 40 digits.
    [TestCase(-4.0, 0.00027160034650029590421)]
    [TestCase(-2.5, 0.010201194942518597626)]
    [TestCase(-1.0, 0.14370694231056223512)]
    [TestCase(-0.3, 0.3585378361976209531)]
    [TestCase(0.0, 0.5)]
    [TestCase(0.3, 0.6414621638023790469)]
    [TestCase(1.0, 0.85629305768943776488)]
    [TestCase(2.5, 0.98979880505748140237)]
    [TestCase(4.0, 0.9997283996534997041)]
    [TestCase(6.0, 0.99999955452779273031)]
    public void Gauss_Laplace_CDF_matches_mpmath(double z, double expected)
    {
        var law = Law(NoiseFamily.GaussLaplace);
        Assert.That(law.StandardCdf(z), Is.EqualTo(expected).Within(1e-14 + 1e-13 * Math.Min(expected, 1 - expected)));
        Assert.That(Law(NoiseFamily.GaussLaplace, sigma: 4).Cdf(3, 4 * z), Is.EqualTo(law.StandardCdf(z)), "σ scales the law");
    }

    // mpmath findroot on the CDF above.
    [TestCase(0.1, -1.2421052593452226226)]
    [TestCase(0.01, -2.5095410479394757238)]
    [TestCase(1e-6, -5.7761535485873589707)]
    [TestCase(0.3, -0.44904259394161383767)]
    public void Gauss_Laplace_quantiles_match_mpmath_and_are_symmetric(double p, double expected)
    {
        var law = Law(NoiseFamily.GaussLaplace);
        Assert.That(law.StandardInverseCdf(p), Is.EqualTo(expected).Within(1e-12 * Math.Abs(expected)));
        Assert.That(law.StandardInverseCdf(1 - p), Is.EqualTo(-expected).Within(1e-12 * Math.Abs(expected) + 1e-15 / p));
        Assert.That(law.Quantile(0, p), Is.EqualTo(law.StandardInverseCdf(p)));
    }

    [TestCase(NoiseFamily.Gaussian)]
    [TestCase(NoiseFamily.GaussLaplace)]
    [TestCase(NoiseFamily.Anisotropic)]
    public void Inverse_CDF_inverts_the_CDF_and_the_ends_are_infinite(NoiseFamily family)
    {
        var law = Law(family);
        foreach (double p in new[] { 1e-300, 1e-12, 1e-6, 0.01, 0.1, 0.25, 0.4, 0.5, 0.6, 0.9, 0.99 })
            Assert.That(law.StandardCdf(law.StandardInverseCdf(p)), Is.EqualTo(p).Within(1e-12 * p), $"p = {p}");
        Assert.That(law.StandardInverseCdf(0), Is.EqualTo(double.NegativeInfinity));
        Assert.That(law.StandardInverseCdf(1), Is.EqualTo(double.PositiveInfinity));
        Assert.That(law.StandardInverseCdf(0.5), Is.EqualTo(0));
    }

    [Test]
    public void Gaussian_law_is_MathNets_normal_and_draws_as_FillNormal()
    {
        var law = Law(NoiseFamily.Gaussian, sigma: 1.5);
        Assert.That(law.Quantile(0, 0.1), Is.EqualTo(1.5 * Normal.InvCDF(0, 1, 0.1)));
        Assert.That(law.StrongLogConcavity, Is.EqualTo(1 / 2.25));
        var a = new double[37]; var b = new double[37];
        law.FillRow(new Rng(5), a);
        new Rng(5).FillNormal(b, 1.5);
        Assert.That(a, Is.EqualTo(b), "bit for bit: the default draws what every run before the setting drew");
    }

    [TestCase(1000, 1e6)]
    [TestCase(1000, 4)]
    [TestCase(3, 9)]
    [TestCase(50, 1)]
    public void Anisotropic_spectrum_is_exactly_as_documented(int d, double kappa)
    {
        var law = (AnisotropicNoise)Law(NoiseFamily.Anisotropic, sigma: 2, d: d, condition: kappa);
        var l = law.Eigenvalues;
        Assert.That(l[0], Is.EqualTo(1), "variance σ² along μ");
        var off = l.Skip(1).ToArray();
        Assert.That(off.Average(), Is.EqualTo(1).Within(1e-12), "mean variance σ² off μ");
        Assert.That(l.Average(), Is.EqualTo(1).Within(1e-12), "mean variance σ² over all d");
        Assert.That(off.Max() / off.Min(), Is.EqualTo(kappa).Within(1e-9 * kappa), "condition number κ off μ");
        Assert.That(l.Max() / l.Min(), Is.EqualTo(kappa).Within(1e-9 * kappa), "and of the whole covariance (1 lies in the range)");
        Assert.That(off[0], Is.EqualTo(off.Max()), "e_2 has the largest variance");
        for (int j = 1; j + 1 < off.Length; j++)
            Assert.That(off[j] / off[j + 1], Is.EqualTo(off[0] / off[1]).Within(1e-12), "geometric");
        Assert.That(law.StrongLogConcavity, Is.EqualTo(1 / (4 * off.Max())).Within(1e-15));
        Assert.That(law.Variance(1), Is.EqualTo(4 * off[0]).Within(1e-12));
        Assert.That(law.Quantile(1, 0.1), Is.EqualTo(2 * Math.Sqrt(off[0]) * Normal.InvCDF(0, 1, 0.1)).Within(1e-12));
    }

    [Test]
    public void Anisotropic_spectrum_with_one_coordinate_off_mu_is_isotropic()
    {
        var law = (AnisotropicNoise)Law(NoiseFamily.Anisotropic, d: 2, condition: 100);
        Assert.That(law.Eigenvalues, Is.EqualTo(new[] { 1.0, 1.0 }));
    }

    /// <summary>
    /// Sample moments per coordinate. With N draws of a coordinate of variance s², the sample mean has sd s/√N and the
    /// sample variance sd s²·√((μ₄ − 1)/N) (μ₄ the standardized fourth moment: 3 Gaussian, 3.76586 Gauss–Laplace by
    /// mpmath). Each check allows 5.3 SE: under the normal approximation another seed fails one of the ≤ 2·10 checks of a
    /// case with probability ≤ 20 × 2Φ(−5.3) = 2.3e-6. Fixed seeds: deterministic.
    /// </summary>
    [TestCase(NoiseFamily.Gaussian, 3.0)]
    [TestCase(NoiseFamily.GaussLaplace, 3.76586031552437690817)]
    [TestCase(NoiseFamily.Anisotropic, 3.0)]
    public void Sample_moments_per_coordinate_match_the_law(NoiseFamily family, double mu4)
    {
        const int d = 10, rows = 40_000;
        const double sigma = 1.7;
        var law = Law(family, sigma, d, condition: 100);
        var rng = new Rng(2024);
        var row = new double[d];
        var sum = new double[d]; var sum2 = new double[d];
        for (int i = 0; i < rows; i++)
        {
            law.FillRow(rng, row);
            for (int j = 0; j < d; j++) { sum[j] += row[j]; sum2[j] += row[j] * row[j]; }
        }
        for (int j = 0; j < d; j++)
        {
            double s2 = law.Variance(j), mean = sum[j] / rows, var = sum2[j] / rows - mean * mean;
            Assert.That(mean, Is.EqualTo(0).Within(5.3 * Math.Sqrt(s2 / rows)), $"mean of coordinate {j}");
            Assert.That(var, Is.EqualTo(s2).Within(5.3 * s2 * Math.Sqrt((mu4 - 1) / rows)), $"variance of coordinate {j}");
        }
        double avg = Enumerable.Range(0, d).Average(j => law.Variance(j));
        if (family != NoiseFamily.Anisotropic) Assert.That(avg, Is.EqualTo(sigma * sigma).Within(1e-12));
    }

    /// <summary>
    /// One-sample Kolmogorov–Smirnov distance of 200 000 standardized draws from the family's CDF. By the DKW inequality
    /// (Massart's constant), P(√N·D &gt; λ) ≤ 2·exp(−2λ²) for every N: λ = 2.47 gives ≤ 1e-5 per family, so another
    /// seed would fail with probability ≤ 1e-5. Tests the sampler and the CDF against each other.
    /// </summary>
    [TestCase(NoiseFamily.Gaussian)]
    [TestCase(NoiseFamily.GaussLaplace)]
    [TestCase(NoiseFamily.Anisotropic)]
    public void Draws_follow_the_CDF(NoiseFamily family)
    {
        const int d = 20, rows = 10_000;
        var law = Law(family, 0.8, d, condition: 30);
        var rng = new Rng(77);
        var row = new double[d];
        var z = new double[d * rows];
        for (int i = 0; i < rows; i++)
        {
            law.FillRow(rng, row);
            for (int j = 0; j < d; j++) z[i * d + j] = row[j] / law.StdDev(j);
        }
        Array.Sort(z);
        double dmax = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double f = law.StandardCdf(z[i]);
            dmax = Math.Max(dmax, Math.Max(f - (double)i / z.Length, (i + 1.0) / z.Length - f));
        }
        Assert.That(Math.Sqrt(z.Length) * dmax, Is.LessThan(2.47));
    }

    /// <summary>The families a setting names, with the per-coordinate law a run uses.</summary>
    [Test]
    public void The_mixture_builds_the_named_law()
    {
        Assert.That(new GaussianMixture(5, 5, 10, 1, 0.1, 2).Law(), Is.TypeOf<GaussianNoise>());
        Assert.That(new GaussianMixture(5, 5, 10, 1, 0.1, 2, Noise: NoiseFamily.GaussLaplace).Law(), Is.TypeOf<GaussLaplaceNoise>());
        var an = (AnisotropicNoise)new GaussianMixture(5, 5, 10, 1, 0.1, 2, Noise: NoiseFamily.Anisotropic, NoiseCondition: 50).Law();
        Assert.That(an.Condition, Is.EqualTo(50));
        Assert.That(an.Sigma, Is.EqualTo(2));
    }

    /// <summary>Composite Gauss–Legendre (MathNet, order 128 on 400 panels) of a symmetric integrand over (−∞, ∞), as 2·∫₀^L.</summary>
    private static double Integrate(Func<double, double> f, double a, double b)
    {
        double total = 0, h = (b - a) / 400;
        for (int i = 0; i < 400; i++)
            total += MathNet.Numerics.Integration.GaussLegendreRule.Integrate(f, a + i * h, a + (i + 1) * h, 128);
        return 2 * total;
    }
}
