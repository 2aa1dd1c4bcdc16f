using System.Numerics;
using System.Runtime.Intrinsics;

namespace Verify.Simulation.Kernels;

/// <summary>Vector width of the managed GEMM; <see cref="Auto"/> takes the widest the hardware accelerates.</summary>
internal enum SimdWidth { Auto, V512, V256, Vector, Scalar }

/// <summary>
/// Portable GEMM in C#: packed panels of op(A) and op(B) (transposes absorbed by the packing), a
/// register-tiled micro-kernel with fused multiply-adds (8 rows × 3 vectors of Vector512 where AVX-512
/// is accelerated, 6 × 2 of Vector256 or Vector&lt;T&gt; otherwise, scalar without SIMD), cache blocking
/// (see <see cref="ISimd{TV,T}"/>), and products of ≥ <see cref="ParallelMinFlops"/> split over up to
/// <see cref="Threads"/> cores on persistent worker threads. No per-call allocation once warm.
/// </summary>
internal sealed class ManagedGemm : IGemm
{
    public static ManagedGemm Instance { get; } = new();

    public ManagedGemm(SimdWidth width = SimdWidth.Auto) => Width = Resolve(width);

    public string Name => "managed";

    /// <summary>The vector width this instance runs (never Auto).</summary>
    public SimdWidth Width { get; }

    private int _threads = Environment.ProcessorCount;

    /// <summary>Most cores one product uses (the calling thread included); 1 keeps every call on the caller.</summary>
    public int Threads
    {
        get => _threads;
        set => _threads = Math.Clamp(value, 1, Environment.ProcessorCount);
    }

    /// <summary>Products of fewer flops (2·m·n·k) stay on the calling thread; larger ones get parts of ≥ half this.</summary>
    public double ParallelMinFlops { get; set; } = 2e6;

    private static SimdWidth Resolve(SimdWidth w) => w != SimdWidth.Auto ? w
        : Vector512.IsHardwareAccelerated ? SimdWidth.V512
        : Vector256.IsHardwareAccelerated ? SimdWidth.V256
        : Vector.IsHardwareAccelerated ? SimdWidth.Vector
        : SimdWidth.Scalar;

    public unsafe void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        GemmChecks.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (double* pa = a) fixed (double* pb = b) fixed (double* pc = c)
        {
            var call = new GemmCall<double>
            {
                A = pa, B = pb, C = pc, M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc,
                TransA = transA, TransB = transB, Alpha = alpha, Beta = beta,
            };
            switch (Width)
            {
                case SimdWidth.V512: GemmDriver<double, Vector512<double>, V512D>.Execute(&call, _threads, ParallelMinFlops); break;
                case SimdWidth.V256: GemmDriver<double, Vector256<double>, V256D>.Execute(&call, _threads, ParallelMinFlops); break;
                case SimdWidth.Vector: GemmDriver<double, Vector<double>, VecD>.Execute(&call, _threads, ParallelMinFlops); break;
                default: GemmDriver<double, double, ScalarOps<double>>.Execute(&call, _threads, ParallelMinFlops); break;
            }
        }
    }

    public unsafe void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        GemmChecks.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
        {
            var call = new GemmCall<float>
            {
                A = pa, B = pb, C = pc, M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc,
                TransA = transA, TransB = transB, Alpha = alpha, Beta = beta,
            };
            switch (Width)
            {
                case SimdWidth.V512: GemmDriver<float, Vector512<float>, V512F>.Execute(&call, _threads, ParallelMinFlops); break;
                case SimdWidth.V256: GemmDriver<float, Vector256<float>, V256F>.Execute(&call, _threads, ParallelMinFlops); break;
                case SimdWidth.Vector: GemmDriver<float, Vector<float>, VecF>.Execute(&call, _threads, ParallelMinFlops); break;
                default: GemmDriver<float, float, ScalarOps<float>>.Execute(&call, _threads, ParallelMinFlops); break;
            }
        }
    }
}
