using Verify.Bounds.Normal;

namespace Verify.Bounds.Heuristic;

/// <summary>
/// HEURISTIC prediction: the interpolating network behaves like w = Σ y_i x_i, whose normalized test
/// margin is s = (1−2β)·n·M² / √(n·d + (1−2β)²·n²·M²).
/// </summary>
public sealed record HeuristicPrediction(double S, double Clean, double Robust, double CleanLabelClean, double CleanLabelRobust);

public static class LinearizedInterpolator
{
    /// <summary>The normalized margin s (→ M as d → 0; ≈ (1−2β)·√(n/d)·M² for d ≫ n·M²).</summary>
    public static double Margin(int n, double d, double mu, double beta)
    {
        // With u = (1−2β)·n·M: s = M·u/√(n·d + u²) = M/√(n·d/u² + 1), which cannot overflow.
        double u = (1 - 2 * beta) * n * mu;
        if (u == 0) return 0;
        return mu / Math.Sqrt(n * d / (u * u) + 1);
    }

    public static HeuristicPrediction Predict(int n, double d, double mu, double alpha, double beta)
    {
        double s = Margin(n, d, mu, beta);
        return new HeuristicPrediction(
            s,
            Clean: NoisyClean(s, beta),
            Robust: NoisyRobust(s, alpha, beta),
            CleanLabelClean: StandardNormal.Cdf(-s),
            CleanLabelRobust: StandardNormal.Cdf(alpha - s));
    }

    public static HeuristicPrediction Predict(Regime r) => Predict(r.N, r.D, r.Mu, r.Alpha, r.Beta);

    /// <summary>Noisy-label clean error β + (1−2β)·Φ(−s).</summary>
    public static double NoisyClean(double s, double beta) => beta + (1 - 2 * beta) * StandardNormal.Cdf(-s);

    /// <summary>Noisy-label robust error (1−β)·Φ(α − s) + β·Φ(α + s).</summary>
    public static double NoisyRobust(double s, double alpha, double beta)
        => (1 - beta) * StandardNormal.Cdf(alpha - s) + beta * StandardNormal.Cdf(alpha + s);

    /// <summary>The dimension at which the margin equals s*: d = (1−2β)²·n·M²·(M²/s*² − 1); null when s* ≥ M (unreachable).</summary>
    public static double? DimensionForMargin(int n, double mu, double beta, double sStar)
    {
        if (!(sStar > 0) || sStar >= mu) return null;
        double k = 1 - 2 * beta;
        return k * k * n * mu * mu * (mu * mu / (sStar * sStar) - 1);
    }
}
