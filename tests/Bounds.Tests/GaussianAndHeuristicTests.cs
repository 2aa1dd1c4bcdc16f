using Verify.Bounds.Gaussian;
using Verify.Bounds.Heuristic;
using Verify.Bounds.Normal;

namespace Verify.Bounds.Tests;

public class GaussianAndHeuristicTests
{
    [Test]
    public void Gaussian_references_match_mpmath()
    {
        // M = 2, α = 0.5, β = 0.1, 30-digit mpmath values.
        Close.Rel(GaussianReference.BayesClean(2, 0.1), 0.11820010555854336576, 1e-15, "Bayes clean");
        Close.Rel(GaussianReference.RobustLower(2, 0.5, 0.1), 0.1534457610150864528, 1e-15, "robust lower");
        Close.Rel(GaussianReference.LinearRobust(2, 0.5, 0.1), 0.15950551460939464589, 1e-15, "linear robust");
    }

    [Test]
    public void Linear_robust_error_matches_a_monte_carlo_of_the_exact_attack()
    {
        // Second code path: sample (y_c, flip, ξ_1) and apply δ* = −α·y·e_1 to sgn⟨μ, x⟩.
        const double mu = 1.3, alpha = 0.4, beta = 0.15;
        const int samples = 2_000_000;
        var rng = new Random(7);
        int errors = 0;
        for (int i = 0; i < samples; i++)
        {
            int yc = rng.Next(2) * 2 - 1;
            int y = rng.NextDouble() < beta ? -yc : yc;
            double z = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            double x1 = yc * mu + z;
            if (y * x1 - alpha <= 0) errors++;
        }
        double p = GaussianReference.LinearRobust(mu, alpha, beta);
        double sigma = Math.Sqrt(p * (1 - p) / samples);
        // Fixed seed (System.Random(7), the same stream on every .NET): deterministic. 5 binomial SE, so another seed
        // would fail with probability 2Φ(−5) = 5.7e-7.
        Assert.That((double)errors / samples, Is.EqualTo(p).Within(5 * sigma));
    }

    [Test]
    public void Edge_cases_alpha_zero_and_alpha_equal_M()
    {
        // α = 0: the robust lower bound is the Bayes error (attained by sgn⟨μ, x⟩).
        Close.Rel(GaussianReference.RobustLower(2, 0, 0.1), GaussianReference.BayesClean(2, 0.1), 1e-15);
        Assert.That(GaussianReference.RobustLower(2, 2, 0.1), Is.EqualTo(0.5));
        // The linear classifier at α = M: (1−β)/2 + β·Φ(2M).
        Close.Rel(GaussianReference.LinearRobust(2, 2, 0.1), 0.45 + 0.1 * StandardNormal.Cdf(4), 1e-15);
    }

    [Test]
    public void Extreme_tails_stay_representable()
    {
        // M = 30, β = 0: Bayes error Φ(−30) ≈ 4.9e−198 must not round to 0.
        Close.Rel(GaussianReference.BayesClean(30, 0), 4.9067139271481870595e-198, 2e-15, "Φ(−30)");
        var h = LinearizedInterpolator.Predict(n: 100, d: 1, mu: 30, alpha: 0, beta: 0);
        Assert.That(h.CleanLabelClean, Is.GreaterThan(0));
        Assert.That(h.S, Is.LessThan(30).And.GreaterThan(29.99));
    }

    [Test]
    public void Heuristic_matches_mpmath_at_the_reference_cell()
    {
        var h = LinearizedInterpolator.Predict(n: 100, d: 1000, mu: 5, alpha: 0.5, beta: 0.1);
        Close.Rel(h.S, 3.9223227027636806385, 1e-15, "s");
        Close.Rel(h.Clean, 0.10003507976950236093, 1e-15, "clean");
        Close.Rel(h.Robust, 0.10027891036350710376, 1e-15, "robust");
        Close.Rel(h.CleanLabelClean, 0.000043849711877951165408, 1e-13, "clean-label clean");
        Close.Rel(h.CleanLabelRobust, 0.00031044287872201722721, 1e-13, "clean-label robust");
    }

    [Test]
    public void Margin_limits_small_and_large_d()
    {
        // d ≪ n·M²: s → M. d ≫ n·M²: s ≈ (1−2β)·√(n/d)·M².
        Close.Rel(LinearizedInterpolator.Margin(100, 1, 50, 0.1), 50, 1e-5, "s(d→0)");
        Close.Rel(LinearizedInterpolator.Margin(100, 1e12, 5, 0.1), 0.8 * Math.Sqrt(100 / 1e12) * 25, 1e-9, "s(d→∞)");
        Assert.That(LinearizedInterpolator.Margin(100, 1000, 0, 0.1), Is.EqualTo(0));
    }

    [Test]
    public void Heuristic_errors_are_monotone()
    {
        double prevClean = 0, prevRobust = 0;
        foreach (double d in new[] { 1e2, 1e3, 1e4, 1e5, 1e6, 1e7 })
        {
            var h = LinearizedInterpolator.Predict(100, d, 3, 0.3, 0.1);
            Assert.That(h.Clean, Is.GreaterThanOrEqualTo(prevClean), "clean error grows with d");
            Assert.That(h.Robust, Is.GreaterThanOrEqualTo(prevRobust), "robust error grows with d");
            Assert.That(h.Robust, Is.GreaterThanOrEqualTo(h.Clean));
            Assert.That(h.Clean, Is.GreaterThanOrEqualTo(0.1));
            prevClean = h.Clean; prevRobust = h.Robust;
        }
        double prev = 1;
        foreach (double mu in new[] { 0.5, 1, 2, 4, 8 })
        {
            double c = LinearizedInterpolator.Predict(100, 1e4, mu, 0, 0.1).Clean;
            Assert.That(c, Is.LessThanOrEqualTo(prev), "clean error falls with M");
            prev = c;
        }
    }
}
