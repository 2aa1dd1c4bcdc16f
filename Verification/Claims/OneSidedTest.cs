using MathNet.Numerics.Distributions;

namespace Verify.Verification.Claims;

/// <summary>
/// The one-sided tests behind every claim and sanity check. An error rate is tested on its seeds'
/// mean: statistic (mean − t)/SE with SE² = max(s², t·(1−t)/N)/k, Student t with k − 1 degrees of
/// freedom (normal for one seed). s is the spread over the k seeds; the floor t·(1−t)/N is the
/// binomial variance of one seed's rate on N test points if its true rate were t, so that seeds
/// that happen to agree exactly cannot make a difference of a few test points significant.
/// </summary>
internal static class OneSidedTest
{
    /// <summary>p-value for "the expected error exceeds <paramref name="threshold"/>" (small: significantly above).</summary>
    public static double Above(ErrorSample s, double threshold) => Tail(s, threshold, above: true);

    /// <summary>p-value for "the expected error is below <paramref name="threshold"/>" (small: significantly below).</summary>
    public static double Below(ErrorSample s, double threshold) => Tail(s, threshold, above: false);

    private static double Tail(ErrorSample s, double threshold, bool above)
    {
        if (s.Seeds == 0 || !double.IsFinite(s.Mean) || double.IsNaN(threshold)) return 1;
        double t = Math.Clamp(threshold, 0, 1);
        double floor = s.TestSize > 0 ? t * (1 - t) / s.TestSize : 0;
        double se = Math.Sqrt(Math.Max(s.Seeds > 1 ? s.Sd * s.Sd : 0, floor) / s.Seeds);
        double diff = above ? s.Mean - threshold : threshold - s.Mean;
        if (se == 0) return diff > 0 ? 0 : 1;
        double z = diff / se;
        // P(Z ≥ z) as the lower tail at −z, which keeps small p-values accurate.
        return s.Seeds > 1 ? StudentT.CDF(0, 1, s.Seeds - 1, -z) : Normal.CDF(0, 1, -z);
    }

    /// <summary>P(Bin(<paramref name="trials"/>, <paramref name="p"/>) ≥ <paramref name="k"/>), summed exactly.</summary>
    public static double BinomialUpperTail(int k, int trials, double p)
    {
        if (k <= 0) return 1;
        if (k > trials) return 0;
        double sum = 0;
        for (int i = k; i <= trials; i++)
            sum += Math.Exp(MathNet.Numerics.SpecialFunctions.BinomialLn(trials, i) + i * Math.Log(p) + (trials - i) * Math.Log(1 - p));
        return Math.Min(1, sum);
    }
}
