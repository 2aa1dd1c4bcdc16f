using MathNet.Numerics;

namespace Verify.Verification.Tests.Claims;

/// <summary>
/// Binomial tails by direct summation of the probability mass function (log-gamma), the second code path the
/// claims' exact tails (regularized incomplete beta) are checked against.
/// </summary>
internal static class Binomial
{
    public static double Pmf(int k, int n, double p)
        => p == 0 ? (k == 0 ? 1 : 0) : p == 1 ? (k == n ? 1 : 0)
            : Math.Exp(SpecialFunctions.BinomialLn(n, k) + k * Math.Log(p) + (n - k) * Math.Log(1 - p));

    /// <summary>P(Bin(n, p) ≥ k).</summary>
    public static double Upper(int k, int n, double p)
    {
        double sum = 0;
        for (int i = Math.Max(0, k); i <= n; i++) sum += Pmf(i, n, p);
        return Math.Min(1, sum);
    }

    /// <summary>P(Bin(n, p) ≤ k).</summary>
    public static double Lower(int k, int n, double p)
    {
        double sum = 0;
        for (int i = 0; i <= Math.Min(k, n); i++) sum += Pmf(i, n, p);
        return Math.Min(1, sum);
    }

    /// <summary>The smallest error count of n points whose upper tail at b is ≤ level (n + 1 when none), by a linear scan.</summary>
    public static int CriticalAbove(int n, double b, double level)
    {
        int c = n + 1;
        for (int k = n; k >= 0 && Upper(k, n, b) <= level; k--) c = k;
        return c;
    }

    /// <summary>The largest error count of n points whose lower tail at b is ≤ level (−1 when none).</summary>
    public static int CriticalBelow(int n, double b, double level)
    {
        int c = -1;
        for (int k = 0; k <= n && Lower(k, n, b) <= level; k++) c = k;
        return c;
    }
}
