namespace Verify.Simulation.Data;

/// <summary>Statistics of the two classes of a labeled set.</summary>
public static class ClassMeans
{
    /// <summary>
    /// M̂ = ||mean(x | y_c = +1) − mean(x | y_c = −1)|| / 2, the empirical counterpart of ||μ|| in the
    /// mixture x = y_c·μ + ξ. Uses the clean labels: μ is defined by them, and label noise would only
    /// shrink the estimate by (1 − 2β).
    /// </summary>
    public static double HalfDistance(LabeledSet set)
    {
        int d = set.Dimension;
        var plus = new double[d];
        var minus = new double[d];
        int nPlus = 0, nMinus = 0;
        for (int i = 0; i < set.Count; i++)
        {
            var row = set.X.Row(i);
            var target = set.YClean[i] > 0 ? plus : minus;
            if (set.YClean[i] > 0) nPlus++; else nMinus++;
            for (int j = 0; j < d; j++) target[j] += row[j];
        }
        if (nPlus == 0 || nMinus == 0)
            throw new ArgumentException($"the class-mean distance needs both classes; the set has {nPlus} examples with y = +1 and {nMinus} with y = −1", nameof(set));
        double ss = 0;
        for (int j = 0; j < d; j++)
        {
            double diff = plus[j] / nPlus - minus[j] / nMinus;
            ss += diff * diff;
        }
        return Math.Sqrt(ss) / 2;
    }
}
