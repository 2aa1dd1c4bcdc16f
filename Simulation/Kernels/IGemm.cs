using System.Numerics;
using System.Runtime.InteropServices;

namespace Verify.Simulation.Kernels;

/// <summary>
/// Row-major C ← α·op(A)·op(B) + β·C, the only dense kernel the simulator needs. op(A) is m×k,
/// op(B) is k×n. Implemented by OpenBLAS (P/Invoke) and by a managed fallback.
/// </summary>
public interface IGemm
{
    /// <summary>Backend name recorded in every result ("openblas" or "managed").</summary>
    string Name { get; }

    /// <summary>Most cores one product uses (settable: parallel runs give each a share of the cores).</summary>
    int Threads { get; set; }

    void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc);

    void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc);
}

internal static class GemmExtensions
{
    /// <summary>Generic entry for code written once for float and double.</summary>
    public static void Gemm<T>(this IGemm g, bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
            g.Gemm(transA, transB, m, n, k, double.CreateTruncating(alpha), MemoryMarshal.Cast<T, double>(a), lda,
                MemoryMarshal.Cast<T, double>(b), ldb, double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c), ldc);
        else if (typeof(T) == typeof(float))
            g.Gemm(transA, transB, m, n, k, float.CreateTruncating(alpha), MemoryMarshal.Cast<T, float>(a), lda,
                MemoryMarshal.Cast<T, float>(b), ldb, float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c), ldc);
        else throw new NotSupportedException(typeof(T).Name);
    }
}
