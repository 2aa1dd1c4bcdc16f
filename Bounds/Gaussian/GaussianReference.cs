using Verify.Bounds.Normal;

namespace Verify.Bounds.Gaussian;

/// <summary>
/// EXACT values for ξ ~ N(0, I_d), μ = M·e_1, uniform label flips, errors against the noisy labels.
/// </summary>
public static class GaussianReference
{
    /// <summary>Bayes clean error: β + (1−2β)·Φ(−M).</summary>
    public static double BayesClean(double mu, double beta) => beta + (1 - 2 * beta) * StandardNormal.Cdf(-mu);

    /// <summary>Robust error of the best classifier: β + (1−2β)·Φ(α − M) for α &lt; M, else 1/2.</summary>
    public static double RobustLower(double mu, double alpha, double beta)
        => alpha >= mu ? 0.5 : beta + (1 - 2 * beta) * StandardNormal.Cdf(alpha - mu);

    /// <summary>Robust error of sgn⟨μ, x⟩: (1−β)·Φ(α − M) + β·Φ(α + M).</summary>
    public static double LinearRobust(double mu, double alpha, double beta)
        => (1 - beta) * StandardNormal.Cdf(alpha - mu) + beta * StandardNormal.Cdf(alpha + mu);
}
