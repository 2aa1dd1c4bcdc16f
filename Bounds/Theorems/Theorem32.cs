using Verify.Bounds.Gaussian;

namespace Verify.Bounds.Theorems;

/// <summary>
/// Theorem 3.2: when α ≥ M every classifier has robust test error ≥ 1/2 (STATED: the attacker moves
/// y_c·μ + ξ to ξ). Below α = M, for Gaussian noise and uniform flips, the EXACT lower bound
/// β + (1−2β)·Φ(α − M) on the robust error of any classifier continues it (<see cref="GaussianReference.RobustLower"/>).
/// </summary>
public static class Theorem32
{
    public static bool Collapse(Regime r) => r.Alpha >= r.Mu;

    /// <summary>The robust error no classifier can beat: 1/2 at α ≥ M, else the EXACT Gaussian lower bound.</summary>
    public static double RobustLowerBoundAnyClassifier(Regime r) => GaussianReference.RobustLower(r.Mu, r.Alpha, r.Beta);
}
