using Verify.Simulation.Kernels;

namespace Verify.Simulation.Tests;

/// <summary>
/// A GEMM case with its inputs in double (f32 cases use the f32-rounded values), strided storage with a
/// sentinel in C's padding, and an accurate reference: the dot products are compensated (TwoProduct by
/// FMA, TwoSum), so the reference is correct to about one rounding of its result.
/// </summary>
internal sealed class GemmCase
{
    public const double Sentinel = 12345.5; // exact in f32 too

    public required int M, N, K;
    public required bool TransA, TransB;
    public required double Alpha, Beta;
    public required int Lda, Ldb, Ldc;
    public required double[] A, B, C0;

    /// <summary>op(A) m×k and op(B) k×n stored row-major with leading dimensions ld ≥ width + pad; C's padding holds <see cref="Sentinel"/>.
    /// With β = 0 the C window holds NaN: a kernel that reads C then fails.</summary>
    public static GemmCase Random(int m, int n, int k, bool transA, bool transB, double alpha, double beta, int pad, ulong seed, bool single)
    {
        var rng = new System.Random((int)(seed % int.MaxValue));
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = Math.Max(1, aCols + pad), ldb = Math.Max(1, bCols + pad), ldc = Math.Max(1, n + pad);
        double Next() { double v = 2 * rng.NextDouble() - 1; return single ? (float)v : v; }
        var a = new double[aRows * lda]; var b = new double[bRows * ldb]; var c = new double[m * ldc];
        for (int i = 0; i < a.Length; i++) a[i] = i % lda < aCols ? Next() : double.NaN; // NaN padding: must never be read
        for (int i = 0; i < b.Length; i++) b[i] = i % ldb < bCols ? Next() : double.NaN;
        for (int i = 0; i < c.Length; i++) c[i] = i % ldc < n ? (beta == 0 ? double.NaN : Next()) : Sentinel;
        return new GemmCase { M = m, N = n, K = k, TransA = transA, TransB = transB, Alpha = alpha, Beta = beta, Lda = lda, Ldb = ldb, Ldc = ldc, A = a, B = b, C0 = c };
    }

    public double OpA(int i, int p) => TransA ? A[p * Lda + i] : A[i * Lda + p];
    public double OpB(int p, int j) => TransB ? B[j * Ldb + p] : B[p * Ldb + j];

    /// <summary>Reference C (m×n, dense) and the scale |α|·(|op(A)|·|op(B)|) + |β|·|C0| that bounds rounding errors elementwise.</summary>
    public (double[] Value, double[] Scale) Reference()
    {
        var value = new double[M * N]; var scale = new double[M * N];
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
            {
                double s = 0, comp = 0, abs = 0;
                for (int p = 0; p < K; p++)
                {
                    double x = OpA(i, p), y = OpB(p, j);
                    double prod = x * y, prodErr = Math.FusedMultiplyAdd(x, y, -prod);
                    double t = s + prod, z = t - s, sumErr = (s - (t - z)) + (prod - z);
                    s = t; comp += sumErr + prodErr;
                    abs += Math.Abs(prod);
                }
                double dot = s + comp, c0 = Beta == 0 ? 0 : C0[i * Ldc + j];
                value[i * N + j] = Alpha * dot + Beta * c0;
                scale[i * N + j] = Math.Abs(Alpha) * abs + Math.Abs(Beta * c0);
            }
        return (value, scale);
    }

    /// <summary>
    /// The rounding bound of any summation order with fused or unfused multiply-adds, blocked in depth
    /// blocks of ≥ 16 (α applied per block, then added to C): (k + 2⌈k/16⌉ + 4)·u relative to the scale,
    /// u = 2⁻⁵³ (f64) or 2⁻²⁴ (f32); the reference's own error is inside the +4.
    /// </summary>
    public double Tolerance(bool single) => (K + 2 * ((K + 15) / 16) + 4) * (single ? Math.Pow(2, -24) : Math.Pow(2, -53));

    public double[] RunDouble(IGemm gemm)
    {
        var c = (double[])C0.Clone();
        gemm.Gemm(TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, c, Ldc);
        return c;
    }

    public double[] RunSingle(IGemm gemm)
    {
        var c = Array.ConvertAll(C0, v => (float)v);
        gemm.Gemm(TransA, TransB, M, N, K, (float)Alpha, Array.ConvertAll(A, v => (float)v), Lda, Array.ConvertAll(B, v => (float)v), Ldb, (float)Beta, c, Ldc);
        return Array.ConvertAll(c, v => (double)v);
    }

    /// <summary>The same product with op(B) packed once by <see cref="ManagedGemm.Pack{T}"/> (the packing reused from <paramref name="into"/>).</summary>
    public double[] RunPacked(ManagedGemm gemm, bool single, PackedOperand<double> into64, PackedOperand<float> into32)
    {
        if (!single)
        {
            var c = (double[])C0.Clone();
            gemm.Pack(into64, TransB, K, N, B, Ldb);
            gemm.Gemm(TransA, M, Alpha, A, Lda, into64, Beta, c.AsSpan(), Ldc);
            return c;
        }
        var cf = Array.ConvertAll(C0, v => (float)v);
        gemm.Pack(into32, TransB, K, N, Array.ConvertAll(B, v => (float)v), Ldb);
        gemm.Gemm(TransA, M, (float)Alpha, Array.ConvertAll(A, v => (float)v), Lda, into32, (float)Beta, cf.AsSpan(), Ldc);
        return Array.ConvertAll(cf, v => (double)v);
    }

    /// <summary>Null when <paramref name="c"/> (strided, as returned by Run*) is within the bound everywhere and C's padding is untouched; otherwise the first violation.</summary>
    public string? Check(double[] c, bool single, double? normwise = null)
    {
        var (value, scale) = Reference();
        double tol = Tolerance(single), err2 = 0, ref2 = 0;
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double got = c[i * Ldc + j], want = value[i * N + j], bound = tol * scale[i * N + j] + 1e-300;
                if (!(Math.Abs(got - want) <= bound))
                    return $"{this}: C[{i},{j}] = {got:R}, reference {want:R}, |error| {Math.Abs(got - want):E2} > bound {bound:E2}";
                err2 += (got - want) * (got - want); ref2 += want * want;
            }
            for (int j = N; j < Ldc && i * Ldc + j < c.Length; j++)
                if (c[i * Ldc + j] != Sentinel) return $"{this}: C padding [{i},{j}] overwritten";
        }
        if (normwise is { } nw && ref2 > 0 && Math.Sqrt(err2 / ref2) > nw)
            return $"{this}: relative Frobenius error {Math.Sqrt(err2 / ref2):E2} > {nw:E0}";
        return null;
    }

    public override string ToString()
        => $"{M}×{N}×{K} op(A){(TransA ? "ᵀ" : "")} op(B){(TransB ? "ᵀ" : "")} α={Alpha} β={Beta} lda={Lda} ldb={Ldb} ldc={Ldc}";
}
