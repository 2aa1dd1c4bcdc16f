namespace Verify.Simulation.Tests;

/// <summary>Two-sample tests for the agreement between simulation modes.</summary>
internal static class TwoSample
{
    /// <summary>Welch's t-test, two-sided p-value.</summary>
    public static double WelchP(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double ma = a.Average(), mb = b.Average();
        double va = a.Sum(x => (x - ma) * (x - ma)) / (a.Count - 1), vb = b.Sum(x => (x - mb) * (x - mb)) / (b.Count - 1);
        double se2 = va / a.Count + vb / b.Count;
        if (se2 == 0) return ma == mb ? 1 : 0;
        double t = (ma - mb) / Math.Sqrt(se2);
        double df = se2 * se2 / (va * va / ((double)a.Count * a.Count * (a.Count - 1)) + vb * vb / ((double)b.Count * b.Count * (b.Count - 1)));
        return 2 * MathNet.Numerics.Distributions.StudentT.CDF(0, 1, df, -Math.Abs(t));
    }

    /// <summary>Two-sample Kolmogorov–Smirnov test, asymptotic p-value with the Stephens correction (Numerical Recipes §14.3).</summary>
    public static double KolmogorovSmirnovP(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var sa = a.Order().ToArray(); var sb = b.Order().ToArray();
        int i = 0, j = 0; double dmax = 0;
        while (i < sa.Length && j < sb.Length)
        {
            double x = Math.Min(sa[i], sb[j]);
            while (i < sa.Length && sa[i] <= x) i++;
            while (j < sb.Length && sb[j] <= x) j++;
            dmax = Math.Max(dmax, Math.Abs((double)i / sa.Length - (double)j / sb.Length));
        }
        double ne = (double)sa.Length * sb.Length / (sa.Length + sb.Length), sq = Math.Sqrt(ne);
        double lambda = (sq + 0.12 + 0.11 / sq) * dmax;
        double sum = 0;
        for (int k = 1; k <= 100; k++) sum += 2 * (k % 2 == 1 ? 1 : -1) * Math.Exp(-2.0 * k * k * lambda * lambda);
        return Math.Clamp(sum, 0, 1);
    }
}
