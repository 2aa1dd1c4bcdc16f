using Verify.Simulation.Kernels;

namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// Per-pixel standardization, (x − mean)/σ, with statistics of training images only (test digits must not
/// leak into preprocessing). σ is the population one (divide by the count), so the images it was fitted on
/// end with mean 0 and σ 1 exactly in that sense.
/// </summary>
internal sealed record PixelStandardizer(double[] Mean, double[] Std)
{
    /// <summary>
    /// The floor on a pixel's σ when the statistics come from the training pool, in units of the [0, 1]
    /// pixel range: a pixel (almost) never inked in the pool — the border — would otherwise turn one stray
    /// stroke of a test digit into a value of hundreds of "standard deviations"; with the floor a pixel
    /// moves by at most 1/0.05 = 20.
    /// </summary>
    public const double PoolStdFloor = 0.05;

    /// <summary>
    /// Statistics of the run's own training images. A pixel constant over them gets σ = 1, detected as
    /// min = max rather than σ = 0, since the rounding of a mean of equal values can leave σ ≈ 1e−17 and blow
    /// test pixels up by 1e17.
    /// </summary>
    public static PixelStandardizer Fit(Dense<double> train)
    {
        var (mean, std, constant) = Moments(train);
        for (int j = 0; j < std.Length; j++) if (constant[j]) std[j] = 1;
        return new PixelStandardizer(mean, std);
    }

    /// <summary>Statistics of many images (the training pool), each pixel's σ at least <paramref name="floor"/> (a constant pixel's is the floor).</summary>
    public static PixelStandardizer FitWithFloor(Dense<double> pool, double floor)
    {
        var (mean, std, constant) = Moments(pool);
        for (int j = 0; j < std.Length; j++) std[j] = constant[j] ? floor : Math.Max(std[j], floor);
        return new PixelStandardizer(mean, std);
    }

    private static (double[] Mean, double[] Std, bool[] Constant) Moments(Dense<double> x)
    {
        int n = x.Rows, d = x.Cols;
        if (n < 1) throw new ArgumentException("standardization needs at least one image", nameof(x));
        var mean = new double[d];
        var std = new double[d];
        var constant = new bool[d];
        for (int j = 0; j < d; j++)
        {
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                double v = x[i, j];
                sum += v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            if (min == max) { mean[j] = min; constant[j] = true; continue; }
            mean[j] = sum / n;
            double ss = 0;
            for (int i = 0; i < n; i++) { double e = x[i, j] - mean[j]; ss += e * e; }
            std[j] = Math.Sqrt(ss / n);
        }
        return (mean, std, constant);
    }

    public void Apply(Span<double> row)
    {
        for (int j = 0; j < row.Length; j++) row[j] = (row[j] - Mean[j]) / Std[j];
    }
}
