using System.Runtime.InteropServices;

namespace Verify.Simulation.Kernels;

/// <summary>
/// cblas_dgemm / cblas_sgemm from libopenblas.so.0, bound by name at run time so that a machine
/// without OpenBLAS falls back to the managed kernel instead of failing. Never binds libblas.so.3
/// (the slow reference BLAS also lives on these machines).
/// </summary>
internal sealed unsafe class OpenBlas : IGemm
{
    public const string LibraryName = "libopenblas.so.0";
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> _dgemm;
    private readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged[Cdecl]<int, void> _setThreads;
    private readonly delegate* unmanaged[Cdecl]<int> _getThreads;
    private readonly delegate* unmanaged[Cdecl]<sbyte*> _corename;

    private OpenBlas(IntPtr lib)
    {
        _dgemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)NativeLibrary.GetExport(lib, "cblas_dgemm");
        _sgemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)NativeLibrary.GetExport(lib, "cblas_sgemm");
        _setThreads = NativeLibrary.TryGetExport(lib, "openblas_set_num_threads", out var st) ? (delegate* unmanaged[Cdecl]<int, void>)st : null;
        _getThreads = NativeLibrary.TryGetExport(lib, "openblas_get_num_threads", out var gt) ? (delegate* unmanaged[Cdecl]<int>)gt : null;
        _corename = NativeLibrary.TryGetExport(lib, "openblas_get_corename", out var cn) ? (delegate* unmanaged[Cdecl]<sbyte*>)cn : null;
    }

    // Verify never sets OPENBLAS_CORETYPE: OpenBLAS picks its kernel for the CPU, or takes the one the
    // environment pins (some builds compute wrong results with some kernels on some CPUs, which is why
    // environments pin it). Backend checks whichever kernel that is against the managed one before use.
    private static readonly Lazy<OpenBlas?> Shared = new(() =>
        NativeLibrary.TryLoad(LibraryName, out var lib) && NativeLibrary.TryGetExport(lib, "cblas_dgemm", out _)
            ? new OpenBlas(lib) : null);

    /// <summary>The process-wide binding, or null when the library is absent.</summary>
    public static OpenBlas? TryLoad() => Shared.Value;

    public string Name => "openblas";

    /// <summary>The CPU kernel OpenBLAS chose (e.g. "Haswell"), for the environment record.</summary>
    public string CoreName => _corename == null ? "unknown" : new string(_corename());

    public int Threads
    {
        get => _getThreads == null ? Environment.ProcessorCount : _getThreads();
        set { if (_setThreads != null) _setThreads(Math.Max(1, value)); }
    }

    public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
        ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        GemmChecks.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (double* pa = a) fixed (double* pb = b) fixed (double* pc = c)
            _dgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        GemmChecks.Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            _sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}

internal static class GemmChecks
{
    /// <summary>Bounds checks before handing pointers to native code: a wrong shape must throw, not corrupt memory.</summary>
    /// <param name="bChecked">False when B comes packed (its size is the packing's business).</param>
    public static void Check(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc, bool bChecked = true)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"negative GEMM size {m}×{n}×{k}");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        Need(aRows, aCols, lda, aLen, "A");
        if (bChecked) Need(bRows, bCols, ldb, bLen, "B");
        Need(m, n, ldc, cLen, "C");
    }

    private static void Need(int rows, int cols, int ld, int len, string name)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"GEMM {name}: leading dimension {ld} < {cols} columns");
        if ((long)(rows - 1) * ld + cols > len) throw new ArgumentException($"GEMM {name}: buffer of {len} too small for {rows}×{cols} (ld {ld})");
    }
}
