using Verify.Bounds.Normal;

namespace Verify.Bounds.Gaussian;

/// <summary>
/// EXACT values for ξ ~ N(0, I_d), μ = M·e_1, uniform label flips, errors against the noisy labels.
/// </summary>
public static class GaussianReference
{
    /// <summary>Bayes clean error: β + (1−2β)·Φ(−M).</summary>
    public static double BayesClean(double mu, double beta) => beta + (1 - 2 * beta) * StandardNormal.Cdf(-mu);

    /// <summary>
    /// EXACT lower bound on the robust error of any classifier: β + (1−2β)·Φ(α − M) for α &lt; M, else 1/2.
    /// With A = {x : some δ makes f wrong on y_c} and B = {x : some δ makes f right on y_c}, A ∪ B is
    /// everything, so the noisy-label robust error (1−β)·P(A) + β·P(B) ≥ β + (1−2β)·P(A) ≥ β + (1−2β)·Φ(α − M).
    /// A bound, not a best value: for β &gt; 0 and 0 &lt; α &lt; M no classifier attains it (P(B) &gt; 1 − P(A)).
    /// </summary>
    public static double RobustLower(double mu, double alpha, double beta)
        => alpha >= mu ? 0.5 : beta + (1 - 2 * beta) * StandardNormal.Cdf(alpha - mu);

    /// <summary>Robust error of sgn⟨μ, x⟩: (1−β)·Φ(α − M) + β·Φ(α + M).</summary>
    public static double LinearRobust(double mu, double alpha, double beta)
        => (1 - beta) * StandardNormal.Cdf(alpha - mu) + beta * StandardNormal.Cdf(alpha + mu);
}
