using System.Numerics;
using System.Runtime.InteropServices;

namespace Verify.Simulation.Kernels;

/// <summary>
/// Portable GEMM used when OpenBLAS is absent: op(B) packed row-major, four rows of C updated per
/// streamed row of B (so each B row is read once per four C rows), SIMD along the rows, rows split
/// across cores. Slower than OpenBLAS, same results to rounding.
/// </summary>
internal sealed class ManagedGemm : IGemm
{
    public static ManagedGemm Instance { get; } = new();

    public string Name => "managed";

    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
        => Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    private static unsafe void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, INumber<T>
    {
        GemmChecks.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;

        // Pack op(B) as k×n contiguous rows.
        T[] packed = new T[(long)k * n];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++)
                packed[(long)p * n + j] = transB ? b[j * ldb + p] : b[p * ldb + j];

        fixed (T* pa = a) fixed (T* pc = c)
        {
            T* aPtr = pa, cPtr = pc;
            int blocks = (m + 3) / 4;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, blk =>
            {
                int i0 = blk * 4, rows = Math.Min(4, m - i0);
                Span<T> acc = rows * n <= 4096 ? stackalloc T[rows * n] : new T[rows * n];
                acc.Clear();
                Span<T> coef = stackalloc T[4];
                for (int p = 0; p < k; p++)
                {
                    for (int r = 0; r < rows; r++)
                        coef[r] = transA ? aPtr[(long)p * lda + i0 + r] : aPtr[(long)(i0 + r) * lda + p];
                    ReadOnlySpan<T> brow = packed.AsSpan((int)((long)p * n), n);
                    for (int r = 0; r < rows; r++)
                    {
                        T s = coef[r];
                        if (s == T.Zero) continue;
                        Axpy(s, brow, acc.Slice(r * n, n));
                    }
                }
                for (int r = 0; r < rows; r++)
                {
                    var crow = new Span<T>(cPtr + (long)(i0 + r) * ldc, n);
                    var arow = acc.Slice(r * n, n);
                    for (int j = 0; j < n; j++)
                        crow[j] = beta == T.Zero ? alpha * arow[j] : alpha * arow[j] + beta * crow[j];
                }
            });
        }
    }

    private static void Axpy<T>(T s, ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var vs = new Vector<T>(s);
            var xv = MemoryMarshal.Cast<T, Vector<T>>(x);
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y);
            for (int v = 0; v < xv.Length; v++) yv[v] += vs * xv[v];
            j = xv.Length * Vector<T>.Count;
        }
        for (; j < x.Length; j++) y[j] += s * x[j];
    }
}
