using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) => Product(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    public unsafe void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) => Product(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    private unsafe void Product<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, INumber<T>
    {
        GemmChecks.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (T* pa = a) fixed (T* pb = b) fixed (T* pc = c)
        {
            var call = new GemmCall<T>
            {
                A = pa, B = pb, C = pc, M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc,
                TransA = transA, TransB = transB, Alpha = alpha, Beta = beta,
            };
            Execute(&call);
        }
    }

    /// <summary>
    /// Packs op(B) (k × n) once into <paramref name="into"/>, for products that all multiply by the same B
    /// (the weights during an attack): <see cref="Gemm{T}(bool, int, T, ReadOnlySpan{T}, int, PackedOperand{T}, T, Span{T}, int)"/>
    /// then skips the packing each product would do, and computes exactly the same result.
    /// </summary>
    public unsafe void Pack<T>(PackedOperand<T> into, bool transB, int k, int n, ReadOnlySpan<T> b, int ldb) where T : unmanaged, INumber<T>
    {
        GemmChecks.Check(false, transB, 0, n, k, 0, k, b.Length, ldb, 0, n);
        nint length = PackedLength<T>(k, n);
        into.Prepare(Width, transB, k, n, length);
        fixed (T* pb = b)
        {
            var call = new GemmCall<T> { B = pb, N = n, K = k, Ldb = ldb, TransB = transB };
            T* dst = into.Pointer;
            Dispatch<T>(&call, dst, pack: true);
        }
    }

    /// <summary>C ← α·op(A)·op(B) + β·C with op(B) packed by <see cref="Pack{T}"/> on a kernel of the same vector width.</summary>
    public unsafe void Gemm<T>(bool transA, int m, T alpha, ReadOnlySpan<T> a, int lda, PackedOperand<T> b, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        if (b.Width != Width) throw new ArgumentException($"op(B) was packed for {b.Width} vectors; this kernel runs {Width}");
        int n = b.N, k = b.K;
        GemmChecks.Check(transA, false, m, n, k, a.Length, lda, 0, n, c.Length, ldc, bChecked: false);
        if (m == 0 || n == 0) return;
        fixed (T* pa = a) fixed (T* pc = c)
        {
            var call = new GemmCall<T>
            {
                A = pa, C = pc, M = m, N = n, K = k, Lda = lda, Ldc = ldc,
                TransA = transA, TransB = b.TransB, Alpha = alpha, Beta = beta, PackedB = b.Pointer,
            };
            Execute(&call);
        }
    }

    private unsafe void Execute<T>(GemmCall<T>* call) where T : unmanaged, INumber<T> => Dispatch(call, null, pack: false);

    /// <summary>Runs (or, with <paramref name="pack"/>, packs op(B) of) one call on the driver of this kernel's width and type.</summary>
    private unsafe void Dispatch<T>(GemmCall<T>* call, T* dst, bool pack) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(double))
        {
            var g = (GemmCall<double>*)call;
            var d = (double*)dst;
            switch (Width)
            {
                case SimdWidth.V512: if (pack) GemmDriver<double, Vector512<double>, V512D>.PackB(g, d); else GemmDriver<double, Vector512<double>, V512D>.Execute(g, _threads, ParallelMinFlops); break;
                case SimdWidth.V256: if (pack) GemmDriver<double, Vector256<double>, V256D>.PackB(g, d); else GemmDriver<double, Vector256<double>, V256D>.Execute(g, _threads, ParallelMinFlops); break;
                case SimdWidth.Vector: if (pack) GemmDriver<double, Vector<double>, VecD>.PackB(g, d); else GemmDriver<double, Vector<double>, VecD>.Execute(g, _threads, ParallelMinFlops); break;
                default: if (pack) GemmDriver<double, double, ScalarOps<double>>.PackB(g, d); else GemmDriver<double, double, ScalarOps<double>>.Execute(g, _threads, ParallelMinFlops); break;
            }
        }
        else if (typeof(T) == typeof(float))
        {
            var g = (GemmCall<float>*)call;
            var d = (float*)dst;
            switch (Width)
            {
                case SimdWidth.V512: if (pack) GemmDriver<float, Vector512<float>, V512F>.PackB(g, d); else GemmDriver<float, Vector512<float>, V512F>.Execute(g, _threads, ParallelMinFlops); break;
                case SimdWidth.V256: if (pack) GemmDriver<float, Vector256<float>, V256F>.PackB(g, d); else GemmDriver<float, Vector256<float>, V256F>.Execute(g, _threads, ParallelMinFlops); break;
                case SimdWidth.Vector: if (pack) GemmDriver<float, Vector<float>, VecF>.PackB(g, d); else GemmDriver<float, Vector<float>, VecF>.Execute(g, _threads, ParallelMinFlops); break;
                default: if (pack) GemmDriver<float, float, ScalarOps<float>>.PackB(g, d); else GemmDriver<float, float, ScalarOps<float>>.Execute(g, _threads, ParallelMinFlops); break;
            }
        }
        else throw new NotSupportedException(typeof(T).Name);
    }

    /// <summary>Elements a packed op(B) of k × n takes on this kernel.</summary>
    public nint PackedLength<T>(int k, int n) where T : unmanaged, INumber<T> => (Width, typeof(T) == typeof(double)) switch
    {
        (SimdWidth.V512, true) => GemmDriver<double, Vector512<double>, V512D>.PackedLength(k, n),
        (SimdWidth.V256, true) => GemmDriver<double, Vector256<double>, V256D>.PackedLength(k, n),
        (SimdWidth.Vector, true) => GemmDriver<double, Vector<double>, VecD>.PackedLength(k, n),
        (_, true) => GemmDriver<double, double, ScalarOps<double>>.PackedLength(k, n),
        (SimdWidth.V512, false) => GemmDriver<float, Vector512<float>, V512F>.PackedLength(k, n),
        (SimdWidth.V256, false) => GemmDriver<float, Vector256<float>, V256F>.PackedLength(k, n),
        (SimdWidth.Vector, false) => GemmDriver<float, Vector<float>, VecF>.PackedLength(k, n),
        _ => GemmDriver<float, float, ScalarOps<float>>.PackedLength(k, n),
    };
}

/// <summary>
/// op(B) packed whole by <see cref="ManagedGemm.Pack{T}"/>: a pinned, 64-byte aligned buffer that is
/// reused (grown when needed) by the next Pack, so packing once per attack allocates nothing once warm.
/// </summary>
internal sealed unsafe class PackedOperand<T> where T : unmanaged
{
    private T[] _buffer = [];
    private nint _offset;

    public SimdWidth Width { get; private set; }
    public bool TransB { get; private set; }
    public int K { get; private set; }
    public int N { get; private set; }

    internal T* Pointer => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer)) + _offset;

    internal void Prepare(SimdWidth width, bool transB, int k, int n, nint length)
    {
        int pad = 64 / sizeof(T);
        if (_buffer.Length < length + pad)
        {
            _buffer = GC.AllocateUninitializedArray<T>(checked((int)length + pad), pinned: true);
            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffer));
            _offset = (((p + 63) & ~(nint)63) - p) / sizeof(T);
        }
        (Width, TransB, K, N) = (width, transB, k, n);
    }
}
