using Verify.Simulation.Data.Noise;
using Verify.Simulation.Settings;

namespace Verify.Simulation.Tests.Noise;

/// <summary>
/// <see cref="OptimalError"/> (the Bayes clean error against the noisy labels) against a numerical integration that knows
/// nothing of its case analysis: the line (the plane, for spurious flips) is cut into cells, each cell's joint mass of
/// (cell, y = ±1) is taken from the law's CDF with the label rule applied at the cell's midpoint (<see cref="LabelRule.Flips"/>,
/// or probability β for random flips), and the Bayes error is the sum over cells of the smaller of the two masses. The
/// rule's thresholds and 0 (where the two clean components cross) are cell edges, so within a cell the noisy posterior
/// is constant in its label composition and one component dominates: the sum is the integral up to rounding.
/// </summary>
public class OptimalErrorTests
{
    private static readonly NoiseFamily[] Families = [NoiseFamily.Gaussian, NoiseFamily.GaussLaplace, NoiseFamily.Anisotropic];

    /// <summary>Cell edges: a uniform grid over [−L, L] with the given breakpoints added.</summary>
    private static double[] Edges(double half, double step, IEnumerable<double> breaks)
        => Enumerable.Range(0, (int)Math.Round(2 * half / step) + 1).Select(i => -half + i * step)
            .Concat(breaks.Where(b => double.IsFinite(b) && Math.Abs(b) < half)).Append(0).Distinct().Order().ToArray();

    private static double Integrated(LabelNoise rule, NoiseLaw law, double mu, double beta)
    {
        var labels = new LabelRule(rule == LabelNoise.Random ? LabelNoise.Margin : rule, beta, law); // random flips: probability β, the rule unused
        double q1 = law.Quantile(0, beta), q2 = law.Quantile(1, beta), s1 = law.StdDev(0), s2 = law.StdDev(1);
        double half1 = mu + 14 * s1;
        var e1 = Edges(half1, 2e-2 * s1, [mu + q1, -(mu + q1), mu - q1, -(mu - q1)]);
        // P(flip | y_c, ξ): the rule at the midpoint, or β.
        double Flip(int yc, double xi1, double xi2) => rule == LabelNoise.Random ? beta : labels.Flips(yc, [xi1, xi2]) ? 1 : 0;
        if (rule != LabelNoise.Spurious)
        {
            double sum = 0;
            for (int i = 0; i + 1 < e1.Length; i++)
            {
                double a = e1[i], b = e1[i + 1], mid = (a + b) / 2;
                double plus = 0.5 * (law.Cdf(0, b - mu) - law.Cdf(0, a - mu)), minus = 0.5 * (law.Cdf(0, b + mu) - law.Cdf(0, a + mu));
                // y = +1: a clean +1 kept, or a clean −1 flipped; ξ₂ plays no part (margin and confident read ξ₁).
                double pPlus = plus * (1 - Flip(1, mid - mu, 0)) + minus * Flip(-1, mid + mu, 0);
                double pMinus = plus * Flip(1, mid - mu, 0) + minus * (1 - Flip(-1, mid + mu, 0));
                sum += Math.Min(pPlus, pMinus);
            }
            return sum;
        }
        var e2 = Edges(14 * s2, 1e-1 * s2, [q2, -q2]);
        double[] m2 = Enumerable.Range(0, e2.Length - 1).Select(j => law.Cdf(1, e2[j + 1]) - law.Cdf(1, e2[j])).ToArray();
        double total = 0;
        for (int i = 0; i + 1 < e1.Length; i++)
        {
            double a = e1[i], b = e1[i + 1], mid = (a + b) / 2;
            double plus = 0.5 * (law.Cdf(0, b - mu) - law.Cdf(0, a - mu)), minus = 0.5 * (law.Cdf(0, b + mu) - law.Cdf(0, a + mu));
            for (int j = 0; j < m2.Length; j++)
            {
                double x2 = (e2[j] + e2[j + 1]) / 2; // μ ⊥ e₂: x₂ = ξ₂
                double pPlus = m2[j] * (plus * (1 - Flip(1, mid - mu, x2)) + minus * Flip(-1, mid + mu, x2));
                double pMinus = m2[j] * (plus * Flip(1, mid - mu, x2) + minus * (1 - Flip(-1, mid + mu, x2)));
                total += Math.Min(pPlus, pMinus);
            }
        }
        return total;
    }

    [Test]
    public void Closed_forms_match_the_integrated_Bayes_error([Values] LabelNoise rule, [ValueSource(nameof(Families))] NoiseFamily family,
        [Values(0.0, 0.7, 2.0)] double muOverSigma, [Values(0.1, 0.3)] double beta)
    {
        // σ = 1.5 and d = 50: the closed form takes M in input units; μ/σ₁ = muOverSigma (σ₁ = σ in every family).
        const double sigma = 1.5;
        var law = NoiseLaw.Of(family, sigma, 50, 9);
        double mu = muOverSigma * sigma;
        double closed = OptimalError.Clean(rule, family, sigma, 50, 9, mu, beta);
        double integrated = Integrated(rule, law, mu, beta);
        // Edges at every discontinuity: only rounding and the tails beyond 14σ (< 1e-15 for these laws) remain.
        Assert.That(closed, Is.EqualTo(integrated).Within(1e-9), $"{rule}, {family}, M/σ = {muOverSigma}, β = {beta}");
    }

    [Test]
    public void Random_flips_with_Gaussian_noise_give_the_Gaussian_Bayes_error()
    {
        foreach (double m in new[] { 0.0, 1, 5 })
            Assert.That(OptimalError.Clean(LabelNoise.Random, NoiseFamily.Gaussian, 2, 100, 0, 2 * m, 0.1),
                Is.EqualTo(0.1 + 0.8 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, -m)).Within(1e-15));
    }

    [Test]
    public void Predictable_flips_put_the_optimal_error_below_beta_at_the_reference_signal()
    {
        // M = 5σ, β = 0.1: margin F(−5) − F(−8.7) ≈ 2.9e-7, confident F(−5) − F(−11.3) ≈ 2.9e-7, spurious 0.8·F(−5) ≈ 2.3e-7 for Gaussian noise.
        foreach (var rule in new[] { LabelNoise.Margin, LabelNoise.Confident, LabelNoise.Spurious })
            Assert.That(OptimalError.Clean(rule, NoiseFamily.Gaussian, 1, 1000, 0, 5, 0.1), Is.LessThan(1e-6).And.GreaterThan(0), rule.ToString());
        Assert.That(OptimalError.Clean(LabelNoise.Random, NoiseFamily.Gaussian, 1, 1000, 0, 5, 0.1), Is.GreaterThan(0.1));
    }
}
