using MathNet.Numerics.Distributions;
using Verify.Simulation.Evaluation;

namespace Verify.Verification.Analysis;

internal static class Statistics
{
    /// <summary>
    /// Mean, sd, range and a 95% interval for the mean over seeds (Student t). With one seed the
    /// interval falls back to <paramref name="single"/> (the run's own Wilson interval for an error rate).
    /// </summary>
    public static Statistic Of(IReadOnlyList<double> values, (double Low, double High)? single = null, bool rate = true)
    {
        int k = values.Count;
        if (k == 0) return new Statistic(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = values.Average();
        double sd = k > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (k - 1)) : 0;
        double lo, hi;
        if (k > 1)
        {
            double half = StudentT.InvCDF(0, 1, k - 1, 0.975) * sd / Math.Sqrt(k);
            (lo, hi) = (mean - half, mean + half);
        }
        else (lo, hi) = single ?? (mean, mean);
        if (rate) (lo, hi) = (Math.Max(0, lo), Math.Min(1, hi));
        return new Statistic(k, mean, sd, values.Min(), values.Max(), lo, hi);
    }

    /// <summary>
    /// Least squares y = a + b·x with a 95% t interval for the slope b from these points' own residuals (needs ≥ 3 points
    /// for an interval). Boundary slopes do not use this interval: see <see cref="PooledSlopes"/>.
    /// </summary>
    public static (double Slope, double Low, double High, double Intercept) LinearFit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int k = x.Count;
        double mx = x.Average(), my = y.Average();
        double sxx = x.Sum(v => (v - mx) * (v - mx)), sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        double b = sxy / sxx, a = my - b * mx;
        if (k < 3) return (b, double.NaN, double.NaN, a);
        double rss = x.Zip(y).Sum(p => Math.Pow(p.Second - a - b * p.First, 2));
        double se = Math.Sqrt(rss / (k - 2) / sxx);
        double t = StudentT.InvCDF(0, 1, k - 2, 0.975);
        return (b, b - t * se, b + t * se, a);
    }

    public static (double Low, double High) Wilson(int errors, int total) => new ErrorEstimate(errors, total).Wilson95;
}
