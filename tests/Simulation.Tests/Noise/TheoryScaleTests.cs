using Verify.Simulation.Data.Noise;
using Verify.Simulation.Settings;

namespace Verify.Simulation.Tests.Noise;

/// <summary>The family scale the theory is read in (docs/theory.md, "How they enter A1–A4 and R").</summary>
public class TheoryScaleTests
{
    [Test]
    public void Gaussian_is_sigma_and_d()
        => Assert.That(TheoryScale.Of(NoiseFamily.Gaussian, 1000, 7), Is.EqualTo(new TheoryScale(1, 1000)));

    [Test]
    public void Gauss_laplace_is_root_v_and_d()
    {
        var s = TheoryScale.Of(NoiseFamily.GaussLaplace, 1000, 7);
        Assert.That(s.SignalFactor, Is.EqualTo(Math.Sqrt(0.474865)).Within(1e-6));
        Assert.That(s.EffectiveDimension, Is.EqualTo(1000));
    }

    [TestCase(1000, 1.0)]
    [TestCase(1000, 4.0)]
    [TestCase(2, 50.0)]
    [TestCase(3, 10.0)]
    [TestCase(100_000, 1e6)]
    public void Anisotropic_is_the_largest_variance_and_at_most_d(int d, double kappa)
    {
        var s = TheoryScale.Of(NoiseFamily.Anisotropic, d, kappa);
        var law = new AnisotropicNoise(1, d, kappa);
        Assert.That(s.SignalFactor, Is.EqualTo(1 / Math.Sqrt(law.Eigenvalues.Max())).Within(1e-13));
        Assert.That(s.EffectiveDimension, Is.EqualTo(law.EffectiveDimension).Within(1e-10).Percent, "the closed form against the law's own spectrum");
        Assert.That(s.EffectiveDimension, Is.LessThanOrEqualTo(d * (1 + 1e-12)).And.GreaterThan(1));
        if (kappa == 1 || d <= 2) Assert.That(s.EffectiveDimension, Is.EqualTo(d).Within(1e-9));
        else Assert.That(s.EffectiveDimension, Is.LessThan(d));
    }

    [Test]
    public void Anisotropic_needs_no_spectrum_in_memory()
    {
        // Beyond what a law can hold per coordinate: c → ln κ/(κ − 1) and d_eff/d → 1/mean(λ²) of the continuous spectrum.
        var s = TheoryScale.Of(NoiseFamily.Anisotropic, 1_000_000_000_000, 4);
        double c = Math.Log(4) / 3, meanSquare = c * c * (16 - 1) / (2 * Math.Log(4));
        Assert.That(s.SignalFactor, Is.EqualTo(1 / Math.Sqrt(4 * c)).Within(1e-9));
        Assert.That(s.EffectiveDimension / 1e12, Is.EqualTo(1 / meanSquare).Within(1e-9));
    }
}
