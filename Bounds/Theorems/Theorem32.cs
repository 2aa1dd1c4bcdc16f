using Verify.Bounds.Normal;

namespace Verify.Bounds.Theorems;

/// <summary>
/// Theorem 3.2: when α ≥ M every classifier has robust test error ≥ 1/2 (STATED: the attacker moves
/// y_c·μ + ξ to ξ). For α &lt; M and Gaussian noise, any classifier has robust error
/// ≥ β + (1−2β)·Φ(α − M) (RECONSTRUCTED).
/// </summary>
public static class Theorem32
{
    public static bool Collapse(Regime r) => r.Alpha >= r.Mu;

    public static double RobustLowerBoundAnyClassifier(Regime r)
        => Collapse(r) ? 0.5 : r.Beta + (1 - 2 * r.Beta) * StandardNormal.Cdf(r.Alpha - r.Mu);
}
