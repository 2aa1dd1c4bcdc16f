using Verify.Simulation.Settings;

namespace Verify.Simulation.Data.Noise;

/// <summary>
/// The Bayes error of the noisy labels: the least clean test error (no attack) any classifier can have against the
/// labels a rule produces, for the mixture x = y_c·μ + ξ with μ = M·e₁ (docs/theory.md, "Which references apply").
/// EXACT: the rules flip on half-lines of one coordinate, and the law of ξ is symmetric and log-concave, so on each
/// piece of the line between the thresholds the noisy posterior is either one label's (both clean labels end on it)
/// or the clean posterior, possibly reversed, whose error mass is min(f(x − M), f(x + M))/2 = f(|x| + M)/2.
/// Integrated through the coordinate's CDF F (standardized, m = M/σ₁, q = F⁻¹(β) &lt; 0):
/// random β + (1−2β)·F(−m); margin F(−m) − F(min(q, −2m − q)); confident F(−m) − F(q − 2m); spurious (1−2β)·F(−m).
/// </summary>
public static class OptimalError
{
    /// <summary>
    /// The Bayes clean error against the noisy labels, for Gaussian data with noise law <paramref name="family"/> (σ per
    /// coordinate, dimension d, condition κ_Σ for the anisotropic law) and signal M (input units). NaN outside β ∈ [0, 1/2)
    /// or for spurious flips at d &lt; 2. κ_Σ does not change it (ξ₁, the coordinate the error depends on, has variance σ² in every family).
    /// </summary>
    public static double Clean(LabelNoise rule, NoiseFamily family, double sigma, long dimension, double condition, double mu, double beta)
    {
        if (!(beta >= 0 && beta < 0.5) || !(mu >= 0) || !(sigma > 0) || dimension < 1) return double.NaN;
        if (rule == LabelNoise.Spurious && dimension < 2) return double.NaN;
        // Only ξ₁'s law enters (the spurious rule reads ξ₂ only through P(|ξ₂| < |q|) = 1 − 2β). The anisotropic law's ξ₁ is
        // N(0, σ²) (λ₁ = 1 on μ), so its spectrum, held per coordinate, is not built: any d, up to the 10¹⁵ `verify check` takes.
        var law = family == NoiseFamily.Anisotropic ? NoiseLaw.Of(NoiseFamily.Gaussian, sigma, dimension, 1) : NoiseLaw.Of(family, sigma, dimension, 1);
        return Clean(rule, law.StandardCdf, law.StandardInverseCdf(beta), mu / law.StdDev(0), beta);
    }

    /// <summary>The same from the standardized CDF F of ξ₁, its β-quantile q and m = M/σ₁.</summary>
    internal static double Clean(LabelNoise rule, Func<double, double> cdf, double q, double m, double beta) => rule switch
    {
        LabelNoise.Random => beta + (1 - 2 * beta) * cdf(-m),
        LabelNoise.Margin => Math.Max(0, cdf(-m) - cdf(Math.Min(q, -2 * m - q))),
        LabelNoise.Confident => Math.Max(0, cdf(-m) - cdf(q - 2 * m)),
        LabelNoise.Spurious => (1 - 2 * beta) * cdf(-m),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };
}
