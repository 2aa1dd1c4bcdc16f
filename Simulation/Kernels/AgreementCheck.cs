using System.Globalization;
using System.Numerics;

namespace Verify.Simulation.Kernels;

/// <summary>
/// Checks a native GEMM against the managed kernel before it is trusted: some OpenBLAS builds compute
/// wrong products with some kernels on some CPUs. Small products of the simulator's three hot shapes
/// (forward X·Wᵀ, input gradient G·W, weight update Gᵀ·X), in both precisions, once below and once
/// above OpenBLAS's small-matrix threshold (its two code paths), with α and β as the trainer uses them
/// and with general values. A few hundred microseconds.
/// </summary>
internal static class AgreementCheck
{
    private readonly record struct Case(string Name, bool TransA, bool TransB, int M, int N, int K, double Alpha, double Beta);

    private static IEnumerable<Case> Cases()
    {
        foreach (var (n, m, d) in new[] { (24, 40, 36), (100, 136, 104) })
        {
            yield return new("forward", false, true, n, m, d, 1, 0);
            yield return new("input gradient", false, false, n, d, m, 1, 0);
            yield return new("weight update", true, false, m, d, n, -0.5, 1);
        }
        yield return new("general", true, true, 37, 29, 53, 0.75, -0.25);
    }

    /// <summary>The first disagreement ("f64 forward 100×136×104: max |difference| 3.1 (allowed 4.6e-14)"), or null when all agree.</summary>
    public static string? FindMismatch(IGemm candidate, IGemm reference)
    {
        foreach (var c in Cases())
            if ((Compare<double>(candidate, reference, c) ?? Compare<float>(candidate, reference, c)) is { } bad) return bad;
        return null;
    }

    private static string? Compare<T>(IGemm candidate, IGemm reference, Case c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int aLen = c.M * c.K, bLen = c.K * c.N, cLen = c.M * c.N;
        var a = Fill<T>(aLen, 1); var b = Fill<T>(bLen, 2);
        var expected = Fill<T>(cLen, 3); var actual = (T[])expected.Clone();
        int lda = c.TransA ? c.M : c.K, ldb = c.TransB ? c.K : c.N;
        T alpha = T.CreateTruncating(c.Alpha), beta = T.CreateTruncating(c.Beta);
        reference.Gemm(c.TransA, c.TransB, c.M, c.N, c.K, alpha, a, lda, b, ldb, beta, expected, c.N);
        candidate.Gemm(c.TransA, c.TransB, c.M, c.N, c.K, alpha, a, lda, b, ldb, beta, actual, c.N);

        // Entries lie in [-1, 1], so every |αΣ a·b + β·c| is at most scale = |α|·k + |β|. Each result is
        // within k·u·scale of the exact value whatever its order of summation, so the two differ by at
        // most 2·k·u·scale: allow four times that. A wrong kernel is off by O(1).
        double scale = Math.Abs(c.Alpha) * c.K + Math.Abs(c.Beta);
        double unitRoundoff = typeof(T) == typeof(double) ? Math.ScaleB(1, -53) : Math.ScaleB(1, -24); // (T.Epsilon is the smallest subnormal)
        double allowed = 8 * c.K * unitRoundoff * scale;
        double worst = 0;
        for (int i = 0; i < cLen; i++)
        {
            double diff = Math.Abs(double.CreateTruncating(actual[i]) - double.CreateTruncating(expected[i]));
            if (!(diff <= worst)) worst = double.IsNaN(diff) ? double.PositiveInfinity : diff;
        }
        return worst <= allowed ? null : string.Create(CultureInfo.InvariantCulture,
            $"{(typeof(T) == typeof(double) ? "f64" : "f32")} {c.Name} {c.M}×{c.N}×{c.K}: max |difference| {worst:G3} (allowed {allowed:G2})");
    }

    /// <summary>Deterministic values in [-1, 1] that are not round binary fractions.</summary>
    private static T[] Fill<T>(int length, int stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = new T[length];
        ulong s = 0x9E3779B97F4A7C15UL * (ulong)stream;
        for (int i = 0; i < length; i++)
        {
            s = s * 6364136223846793005UL + 1442695040888963407UL;
            x[i] = T.CreateTruncating((s >> 11) * (2.0 / (1UL << 53)) - 1.0);
        }
        return x;
    }
}
