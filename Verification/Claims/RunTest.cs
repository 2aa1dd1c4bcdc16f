using MathNet.Numerics;

namespace Verify.Verification.Claims;

/// <summary>Which side of a claim's number a measurement must fall to be beyond it.</summary>
internal enum Side
{
    /// <summary>The claim is "error ≤ bound": a run is beyond when its error is significantly above.</summary>
    Above,
    /// <summary>The claim is "error ≥ bound": a run is beyond when its error is significantly below.</summary>
    Below,
}

/// <summary>
/// The exact tests behind every claim and sanity check, run by run. A run is <em>beyond</em> a number b
/// when its error count on its own N points is in the exact binomial tail of Bin(N, b) at most
/// <see cref="RunLevel"/> (a₀): if the run's true error were at b or on the claim's side of it, that
/// would happen with probability ≤ a₀. Under a claim that holds for each run with probability ≥ 1 − δ,
/// a run is therefore beyond with probability ≤ δ + a₀, independently across runs (each seed draws its
/// own data), so a cell where X of k runs are beyond has p-value P(Bin(k, δ + a₀) ≥ X). No normal
/// approximation anywhere: an error that the theorem allows to be anything with probability δ has no
/// useful variance.
/// </summary>
internal static class RunTest
{
    /// <summary>
    /// a₀, the per-run level. Small against δ = 0.05, so the allowance δ + a₀ grows by a tenth; large enough
    /// that a run 2.6 binomial standard errors beyond its bound counts (z at 0.995).
    /// </summary>
    public const double RunLevel = 0.005;

    /// <summary>P(Bin(<paramref name="n"/>, <paramref name="p"/>) ≥ <paramref name="k"/>), exact (regularized incomplete beta).</summary>
    public static double UpperTail(int k, int n, double p)
    {
        if (k <= 0) return 1;
        if (k > n || p <= 0) return 0;
        if (p >= 1) return 1;
        return Math.Clamp(SpecialFunctions.BetaRegularized(k, n - k + 1, p), 0, 1);
    }

    /// <summary>P(Bin(<paramref name="n"/>, <paramref name="p"/>) ≤ <paramref name="k"/>), exact.</summary>
    public static double LowerTail(int k, int n, double p)
    {
        if (k < 0) return 0;
        if (k >= n || p <= 0) return 1;
        if (p >= 1) return 0;
        return Math.Clamp(SpecialFunctions.BetaRegularized(n - k, k + 1, 1 - p), 0, 1);
    }

    /// <summary>The run's own p-value against <paramref name="bound"/>: the exact binomial tail on the side that would make it beyond.</summary>
    public static double PValue(RunCount run, double bound, Side side)
        => run.Total == 0 ? 1 : side == Side.Above ? UpperTail(run.Errors, run.Total, bound) : LowerTail(run.Errors, run.Total, bound);

    public static bool Beyond(RunCount run, double bound, Side side) => PValue(run, bound, side) <= RunLevel;

    /// <summary>
    /// How far beyond <paramref name="bound"/> a run of <paramref name="total"/> points must measure to be beyond it:
    /// the critical count's rate minus the bound (above) or the bound minus it (below); +∞ when no count is far enough.
    /// </summary>
    public static double NeededExcess(int total, double bound, Side side)
    {
        if (total <= 0) return double.PositiveInfinity;
        if (side == Side.Above)
        {
            if (UpperTail(total, total, bound) > RunLevel) return double.PositiveInfinity;
            int lo = 0, hi = total; // UpperTail(lo) > a₀ ≥ UpperTail(hi)
            while (hi - lo > 1)
            {
                int mid = (lo + hi) / 2;
                if (UpperTail(mid, total, bound) <= RunLevel) hi = mid; else lo = mid;
            }
            return (double)hi / total - bound;
        }
        else
        {
            if (LowerTail(0, total, bound) > RunLevel) return double.PositiveInfinity;
            int lo = 0, hi = total; // LowerTail(lo) ≤ a₀ < LowerTail(hi)
            while (hi - lo > 1)
            {
                int mid = (lo + hi) / 2;
                if (LowerTail(mid, total, bound) <= RunLevel) lo = mid; else hi = mid;
            }
            return bound - (double)lo / total;
        }
    }

    /// <summary>The cell's p-value: P(Bin(<paramref name="runs"/>, <paramref name="perRun"/>) ≥ <paramref name="beyond"/>).</summary>
    public static double CountPValue(int beyond, int runs, double perRun) => UpperTail(beyond, runs, Math.Min(1, perRun));

    /// <summary>
    /// The fewest runs of <paramref name="runs"/> that must be beyond for the cell's p-value to reach
    /// <paramref name="level"/>; null when even all of them would not.
    /// </summary>
    public static int? RunsNeeded(int runs, double perRun, double level)
    {
        for (int x = 1; x <= runs; x++)
            if (CountPValue(x, runs, perRun) <= level) return x;
        return null;
    }
}
