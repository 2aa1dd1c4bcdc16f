using Verify.Simulation.Kernels;

namespace Verify.Simulation.Data;

public static class ClassMeans
{
    /// <summary>
    /// M̂ = ||mean(x | y_c = +1) − mean(x | y_c = −1)|| / 2: the signal norm a Gaussian mixture with
    /// these class means would have. NaN when a class is missing.
    /// </summary>
    public static double HalfDistance(Dense<double> x, IReadOnlyList<sbyte> yClean)
    {
        var diff = new double[x.Cols];
        int plus = yClean.Count(y => y > 0), minus = yClean.Count - plus;
        if (plus == 0 || minus == 0) return double.NaN;
        for (int i = 0; i < x.Rows; i++)
        {
            double w = yClean[i] > 0 ? 1.0 / plus : -1.0 / minus;
            var row = x.Row(i);
            for (int j = 0; j < diff.Length; j++) diff[j] += w * row[j];
        }
        return Math.Sqrt(diff.Sum(v => v * v)) / 2;
    }
}
