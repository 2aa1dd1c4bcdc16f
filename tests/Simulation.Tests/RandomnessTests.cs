using Verify.Simulation.Evaluation;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Tests;

public class RandomnessTests
{
    [Test]
    public void Same_seed_same_stream_and_derived_streams_differ()
    {
        var a = new Rng(42); var b = new Rng(42);
        for (int i = 0; i < 100; i++) Assert.That(a.NextULong(), Is.EqualTo(b.NextULong()));
        Assert.That(Rng.Derive(42, 1), Is.Not.EqualTo(Rng.Derive(42, 2)));
        Assert.That(Rng.Derive(42, 1), Is.Not.EqualTo(Rng.Derive(43, 1)));
    }

    [Test]
    public void Normal_moments()
    {
        var rng = new Rng(1);
        const int n = 1_000_000;
        double s1 = 0, s2 = 0, s4 = 0;
        for (int i = 0; i < n; i++) { double z = rng.NextNormal(); s1 += z; s2 += z * z; s4 += z * z * z * z; }
        // Standard errors: mean 1/√n, E z² = 1 with sd √2/√n, E z⁴ = 3 with sd √96/√n.
        // Fixed seed: deterministic. Each check allows 5 SE, so another seed would fail with probability ≈ 3 × 2Φ(−5) = 1.7e-6.
        Assert.That(s1 / n, Is.EqualTo(0).Within(5 / Math.Sqrt(n)));
        Assert.That(s2 / n, Is.EqualTo(1).Within(5 * Math.Sqrt(2.0 / n)));
        Assert.That(s4 / n, Is.EqualTo(3).Within(5 * Math.Sqrt(96.0 / n)));
    }

    [TestCase(0.5)]
    [TestCase(3.0)]
    [TestCase(1e6)]
    [TestCase(1e9)]
    public void Chi_squared_mean_and_variance(double nu)
    {
        var rng = new Rng(2);
        const int n = 100_000;
        double s1 = 0, s2 = 0;
        for (int i = 0; i < n; i++) { double x = rng.NextChiSquared(nu); s1 += x; s2 += x * x; }
        double mean = s1 / n, variance = s2 / n - mean * mean;
        // E = ν, Var = 2ν; the sample mean has sd √(2ν/n); the sample variance about 2ν·√(2·(1 + 6/ν)/n).
        // Fixed seed: deterministic. 5 SE each, so another seed would fail a case with probability ≈ 2 × 2Φ(−5) = 1.2e-6
        // (the skew of χ²₀.₅ moves the variance's tail to 6e-7 on one side by an Edgeworth term, 0 on the other).
        Assert.That(mean, Is.EqualTo(nu).Within(5 * Math.Sqrt(2 * nu / n)));
        Assert.That(variance, Is.EqualTo(2 * nu).Within(5 * 2 * nu * Math.Sqrt(2 * (1 + 6 / nu) / n)));
    }

    [Test]
    public void Wilson_interval_matches_reference_values()
    {
        // R: binom::binom.wilson(10, 100) → 0.05522914, 0.17436566; (0, 20) → 0, 0.1611252.
        var (lo, hi) = new ErrorEstimate(10, 100).Wilson95;
        Assert.That(lo, Is.EqualTo(0.05522914).Within(1e-7));
        Assert.That(hi, Is.EqualTo(0.17436566).Within(1e-7));
        var (lo0, hi0) = new ErrorEstimate(0, 20).Wilson95;
        Assert.That(lo0, Is.EqualTo(0).Within(1e-12));
        Assert.That(hi0, Is.EqualTo(0.1611252).Within(1e-7));
    }
}
