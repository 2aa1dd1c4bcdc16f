using Verify.Simulation.Kernels;

namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// Per-pixel standardization with statistics of the training rows only (the test set must not leak
/// into preprocessing). Std is the population one (divide by n), so the training set ends with mean 0
/// and std 1 exactly in that sense. A pixel constant over the training set gets std 1 — detected as
/// min = max rather than std = 0, since the rounding of a mean of equal values can leave std ≈ 1e-17
/// and blow test pixels up by 1e17.
/// </summary>
internal sealed record PixelStandardizer(double[] Mean, double[] Std)
{
    public static PixelStandardizer Fit(Dense<double> train)
    {
        int n = train.Rows, d = train.Cols;
        if (n < 1) throw new ArgumentException("standardization needs at least one training row", nameof(train));
        var mean = new double[d];
        var std = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                double v = train[i, j];
                sum += v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            if (min == max) { mean[j] = min; std[j] = 1; continue; }
            mean[j] = sum / n;
            double ss = 0;
            for (int i = 0; i < n; i++) { double e = train[i, j] - mean[j]; ss += e * e; }
            std[j] = Math.Sqrt(ss / n);
        }
        return new PixelStandardizer(mean, std);
    }

    public void Apply(Span<double> row)
    {
        for (int j = 0; j < row.Length; j++) row[j] = (row[j] - Mean[j]) / Std[j];
    }
}
