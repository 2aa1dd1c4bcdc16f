using Verify.Simulation.Kernels;

namespace Verify.Simulation.Data;

/// <summary>Statistics of the two classes of a labeled set.</summary>
internal static class ClassMeans
{
    /// <summary>
    /// M̂ = ||mean(x | y_c = +1) − mean(x | y_c = −1)|| / 2, the empirical counterpart of ||μ|| in the
    /// mixture x = y_c·μ + ξ. Uses the clean labels: μ is defined by them, and label noise would only
    /// shrink the estimate by (1 − 2β).
    /// </summary>
    public static double HalfDistance(LabeledSet set)
    {
        double v = TryHalfDistance(set.X, set.YClean);
        if (double.IsNaN(v))
            throw new ArgumentException($"the class-mean distance needs both classes; the set has {set.YClean.Count(y => y > 0)} examples with y = +1 and {set.YClean.Count(y => y <= 0)} with y = −1", nameof(set));
        return v;
    }

    /// <summary>
    /// σ̂ = √(mean_i ||x_i − mean(x | y_c = y_c,i)||² / d): the per-coordinate noise scale of a mixture
    /// with these class means, so that M̂/σ̂ is the signal norm in the theory's units (Gaussian: M/σ).
    /// </summary>
    public static double NoiseScale(Dense<double> x, IReadOnlyList<sbyte> yClean, double dimension)
    {
        int d = x.Cols, nPlus = 0, nMinus = 0;
        var plus = new double[d];
        var minus = new double[d];
        for (int i = 0; i < x.Rows; i++)
        {
            var target = yClean[i] > 0 ? plus : minus;
            if (yClean[i] > 0) nPlus++; else nMinus++;
            var row = x.Row(i);
            for (int j = 0; j < d; j++) target[j] += row[j];
        }
        if (nPlus == 0 || nMinus == 0) return double.NaN;
        double ss = 0;
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            var (mean, count) = yClean[i] > 0 ? (plus, nPlus) : (minus, nMinus);
            for (int j = 0; j < d; j++) { double r = row[j] - mean[j] / count; ss += r * r; }
        }
        return Math.Sqrt(ss / x.Rows / dimension);
    }

    /// <summary>As <see cref="HalfDistance(LabeledSet)"/> on rows of <paramref name="x"/> (any orthonormal coordinates); NaN when a class is missing.</summary>
    public static double TryHalfDistance(Dense<double> x, IReadOnlyList<sbyte> yClean)
    {
        int d = x.Cols, nPlus = 0, nMinus = 0;
        var plus = new double[d];
        var minus = new double[d];
        for (int i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            var target = yClean[i] > 0 ? plus : minus;
            if (yClean[i] > 0) nPlus++; else nMinus++;
            for (int j = 0; j < d; j++) target[j] += row[j];
        }
        if (nPlus == 0 || nMinus == 0) return double.NaN;
        double ss = 0;
        for (int j = 0; j < d; j++)
        {
            double diff = plus[j] / nPlus - minus[j] / nMinus;
            ss += diff * diff;
        }
        return Math.Sqrt(ss) / 2;
    }
}
