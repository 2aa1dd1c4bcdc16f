namespace Verify.Bounds.Normal;

/// <summary>
/// The standard normal distribution to full double precision, tails included.
/// Centre (|x| &lt; 3): Φ(x) = erfc(−x/√2)/2 with the rounding of −x/√2 corrected to first order.
/// Tails: Q(x) = φ(x)·R(x), R the Mills ratio by its continued fraction and exp(−x²/2) split so that
/// x² is exact; erfc alone loses about 2t² ulps there (1e−14 relative at x = −20).
/// </summary>
public static class StandardNormal
{
    // 1/√2 as a double-double: Hi is the nearest double, Lo the remainder.
    private const double InvSqrt2Hi = 0.70710678118654757;
    private const double InvSqrt2Lo = -4.8336466567264567e-17;
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double InvSqrt2Pi = 0.39894228040143268;

    /// <summary>Density φ(x).</summary>
    public static double Pdf(double x) => InvSqrt2Pi * Math.Exp(-0.5 * x * x);

    /// <summary>Φ(x) = P(Z ≤ x). Never computed as 1 − Φ(−x).</summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (double.IsNegativeInfinity(x)) return 0;
        if (double.IsPositiveInfinity(x)) return 1;
        if (x <= -TailStart) return TailQ(-x);
        if (x >= TailStart) return 1 - TailQ(x);
        // t = −x/√2 exactly as hi + lo.
        double hi = -x * InvSqrt2Hi;
        double lo = Math.FusedMultiplyAdd(-x, InvSqrt2Hi, -hi) - x * InvSqrt2Lo;
        double erfc = MathNet.Numerics.SpecialFunctions.Erfc(hi);
        // erfc(hi + lo) = erfc(hi) − lo·(2/√π)·exp(−hi²) + O(lo²).
        double correction = lo == 0 ? 0 : lo * TwoOverSqrtPi * Math.Exp(-hi * hi);
        return 0.5 * (erfc - correction);
    }

    private const double TailStart = 3;

    // Q(x) for x ≥ 3: φ(x)·R(x), R(x) = 1/(x + 1/(x + 2/(x + 3/(x + …)))). 100 terms reach
    // 4e−17 at x = 3 and converge faster further out (checked against mpmath).
    private static double TailQ(double x)
    {
        double t = x;
        for (int k = 100; k >= 1; k--) t = x + k / t;
        double xh = Math.Floor(x * 16) / 16; // xh² exact, so exp(−x²/2) keeps full precision
        double density = InvSqrt2Pi * Math.Exp(-0.5 * xh * xh) * Math.Exp(-0.5 * (x - xh) * (x + xh));
        return density / t;
    }

    /// <summary>Upper tail Q(x) = P(Z &gt; x) = Φ(−x), accurate where Φ(x) rounds to 1.</summary>
    public static double UpperTail(double x) => Cdf(-x);

    /// <summary>Φ⁻¹(p) for p in (0, 1).</summary>
    public static double Quantile(double p)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in (0, 1)");
        return MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);
    }
}
