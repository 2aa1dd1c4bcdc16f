using Verify.Bounds.Assumptions;
using Verify.Bounds.Heuristic;
using Verify.Bounds.Normal;

namespace Verify.Bounds.Inverse;

/// <summary>Questions asked backwards: which d, α, β keep the theory applicable, and where the predicted phase boundaries lie.</summary>
public static class InverseQueries
{
    /// <summary>Smallest whole d satisfying A2 at the regime's C (α as given).</summary>
    public static double MinDimension(Regime r)
        => Math.Ceiling(r.C * TheoremAssumptions.A2Factor(r.N, r.Mu, r.Alpha, r.Delta));

    /// <summary>
    /// Largest α satisfying both R and A2 at C: min(M·√(n·M²/d)/C, √(d/(C·n²) − ln(n/δ))).
    /// Null when no α ≥ 0 works (A2 fails already at α = 0).
    /// </summary>
    public static double? MaxAlpha(Regime r)
    {
        double n = r.N;
        if (r.D < r.C * n * r.Mu * r.Mu) return null;
        double a2Room = r.D / (r.C * n * n) - Math.Log(n / r.Delta);
        if (a2Room < 0) return null;
        double byR = r.Mu * Math.Sqrt(n * r.Mu * r.Mu / r.D) / r.C;
        return Math.Min(byR, Math.Sqrt(a2Room));
    }

    /// <summary>Largest β allowed by A4 at C: 1/C (the model itself needs β &lt; 1/2).</summary>
    public static double MaxBeta(Regime r) => 1 / r.C;

    /// <summary>
    /// Largest d at which the RECONSTRUCTED clean bound β + 2·exp(−n·M⁴/(C·d)) is at most β + ε:
    /// d = n·M⁴ / (C·ln(2/ε)); +∞ when ε ≥ 2 (the bound never exceeds β + 2).
    /// </summary>
    public static double MaxDimensionForCleanExcess(Regime r, double epsilon)
    {
        CheckEpsilon(epsilon);
        if (epsilon >= 2) return double.PositiveInfinity;
        return r.N * Math.Pow(r.Mu, 4) / (r.C * Math.Log(2 / epsilon));
    }

    /// <summary>
    /// HEURISTIC clean phase boundary: the d at which β + (1−2β)·Φ(−s) = β + ε. Below it the predicted
    /// clean error is within ε of β. +∞ when every d qualifies; null when no d does at this M.
    /// </summary>
    public static double? HeuristicCleanBoundary(int n, double mu, double beta, double epsilon)
    {
        CheckEpsilon(epsilon);
        double p = epsilon / (1 - 2 * beta);
        if (p >= 0.5) return double.PositiveInfinity; // s ≥ 0 always gives Φ(−s) ≤ 1/2 ≤ p.
        double sStar = -StandardNormal.Quantile(p);
        return LinearizedInterpolator.DimensionForMargin(n, mu, beta, sStar);
    }

    /// <summary>
    /// HEURISTIC robust phase boundary at a fixed ratio α/M: the d at which
    /// (1−β)·Φ(α − s) + β·Φ(α + s) = β + ε with α = ratio·M. +∞ when every d qualifies; null when none does.
    /// </summary>
    public static double? HeuristicRobustBoundary(int n, double mu, double alphaOverMu, double beta, double epsilon)
    {
        CheckEpsilon(epsilon);
        double alpha = alphaOverMu * mu;
        double target = beta + epsilon;
        // The robust error decreases in s from Φ(α) at s = 0 towards β.
        if (LinearizedInterpolator.NoisyRobust(0, alpha, beta) <= target) return double.PositiveInfinity;
        double lo = 0, hi = Math.Max(1, 2 * alpha);
        while (LinearizedInterpolator.NoisyRobust(hi, alpha, beta) > target) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (LinearizedInterpolator.NoisyRobust(mid, alpha, beta) > target) lo = mid; else hi = mid;
        }
        return LinearizedInterpolator.DimensionForMargin(n, mu, beta, 0.5 * (lo + hi));
    }

    private static void CheckEpsilon(double epsilon)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
            throw new InvalidInputException("epsilon", epsilon.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                "the target excess error ε must be a finite number > 0");
    }
}
