using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Verify.Simulation.Kernels;

/// <summary>
/// The transposing copy behind packing op(A) = A and op(B) = Bᵀ: dst[p·ldd + i] = src[i·lds + p].
/// Blocks of 8×8 (f64 with AVX-512, f32 with AVX) or 4×4 (f64 with AVX) go through registers:
/// whole-vector loads and stores instead of one load and one store per element. Exact copies: no
/// arithmetic, so the results are the same bits with or without it.
/// </summary>
internal static unsafe class GemmTranspose
{
    /// <param name="prefetch">If not 0, element offset from a source row to the row the next call will read (its lines are prefetched meanwhile).</param>
    public static void Into<T>(T* src, nint lds, int rows, int cols, T* dst, nint ldd, nint prefetch = 0) where T : unmanaged
    {
        int i = 0;
        if (typeof(T) == typeof(double) && Avx512F.IsSupported)
            for (; i + 8 <= rows; i += 8) Rows8x8Double((double*)src + i * lds, lds, cols, (double*)dst + i, ldd, prefetch);
        if (typeof(T) == typeof(float) && Avx.IsSupported)
            for (; i + 8 <= rows; i += 8) Rows8x8Single((float*)src + i * lds, lds, cols, (float*)dst + i, ldd, prefetch);
        if (typeof(T) == typeof(double) && Avx.IsSupported)
            for (; i + 4 <= rows; i += 4) Rows4x4Double((double*)src + i * lds, lds, cols, (double*)dst + i, ldd);
        for (; i + 4 <= rows; i += 4)
        {
            // Four source rows at a time: four sequential read streams, one destination line per p.
            T* s0 = src + i * lds, s1 = s0 + lds, s2 = s1 + lds, s3 = s2 + lds;
            T* d = dst + i;
            for (int p = 0; p < cols; p++, d += ldd) { d[0] = s0[p]; d[1] = s1[p]; d[2] = s2[p]; d[3] = s3[p]; }
        }
        for (; i < rows; i++)
        {
            T* s = src + i * lds, d = dst + i;
            for (int p = 0; p < cols; p++, d += ldd) *d = s[p];
        }
    }

    /// <summary>Eight source rows: 8×8 blocks by unpack and two 128-bit lane shuffles, the last p &lt; 8 one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows8x8Double(double* s, nint lds, int cols, double* d, nint ldd, nint prefetch)
    {
        int p = 0;
        for (; p + 8 <= cols; p += 8)
        {
            double* q = s + p;
            if (prefetch != 0)
                for (int r = 0; r < 8; r++) Sse.Prefetch0(q + r * lds + prefetch);
            var r0 = Vector512.Load(q); var r1 = Vector512.Load(q + lds); var r2 = Vector512.Load(q + 2 * lds); var r3 = Vector512.Load(q + 3 * lds);
            var r4 = Vector512.Load(q + 4 * lds); var r5 = Vector512.Load(q + 5 * lds); var r6 = Vector512.Load(q + 6 * lds); var r7 = Vector512.Load(q + 7 * lds);
            // t: pairs of rows interleaved (a_i0 a_j0 a_i2 a_j2 …), (a_i1 a_j1 a_i3 a_j3 …).
            var t0 = Avx512F.UnpackLow(r0, r1); var t1 = Avx512F.UnpackHigh(r0, r1);
            var t2 = Avx512F.UnpackLow(r2, r3); var t3 = Avx512F.UnpackHigh(r2, r3);
            var t4 = Avx512F.UnpackLow(r4, r5); var t5 = Avx512F.UnpackHigh(r4, r5);
            var t6 = Avx512F.UnpackLow(r6, r7); var t7 = Avx512F.UnpackHigh(r6, r7);
            // u: 128-bit lanes (0,2 | 0,2) and (1,3 | 1,3) of two pairs.
            var u0 = Avx512F.Shuffle4x128(t0, t2, 0x88); var u1 = Avx512F.Shuffle4x128(t0, t2, 0xDD);
            var u2 = Avx512F.Shuffle4x128(t1, t3, 0x88); var u3 = Avx512F.Shuffle4x128(t1, t3, 0xDD);
            var u4 = Avx512F.Shuffle4x128(t4, t6, 0x88); var u5 = Avx512F.Shuffle4x128(t4, t6, 0xDD);
            var u6 = Avx512F.Shuffle4x128(t5, t7, 0x88); var u7 = Avx512F.Shuffle4x128(t5, t7, 0xDD);
            double* o = d + p * ldd;
            Avx512F.Shuffle4x128(u0, u4, 0x88).Store(o);
            Avx512F.Shuffle4x128(u2, u6, 0x88).Store(o + ldd);
            Avx512F.Shuffle4x128(u1, u5, 0x88).Store(o + 2 * ldd);
            Avx512F.Shuffle4x128(u3, u7, 0x88).Store(o + 3 * ldd);
            Avx512F.Shuffle4x128(u0, u4, 0xDD).Store(o + 4 * ldd);
            Avx512F.Shuffle4x128(u2, u6, 0xDD).Store(o + 5 * ldd);
            Avx512F.Shuffle4x128(u1, u5, 0xDD).Store(o + 6 * ldd);
            Avx512F.Shuffle4x128(u3, u7, 0xDD).Store(o + 7 * ldd);
        }
        for (; p < cols; p++)
            for (int i = 0; i < 8; i++) d[p * ldd + i] = s[i * lds + p];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows8x8Single(float* s, nint lds, int cols, float* d, nint ldd, nint prefetch)
    {
        int p = 0;
        for (; p + 8 <= cols; p += 8)
        {
            float* q = s + p;
            if (prefetch != 0 && (p & 15) == 0)
                for (int r = 0; r < 8; r++) Sse.Prefetch0(q + r * lds + prefetch);
            var r0 = Vector256.Load(q); var r1 = Vector256.Load(q + lds); var r2 = Vector256.Load(q + 2 * lds); var r3 = Vector256.Load(q + 3 * lds);
            var r4 = Vector256.Load(q + 4 * lds); var r5 = Vector256.Load(q + 5 * lds); var r6 = Vector256.Load(q + 6 * lds); var r7 = Vector256.Load(q + 7 * lds);
            var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
            var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
            float* o = d + p * ldd;
            Avx.Permute2x128(u0, u4, 0x20).Store(o);
            Avx.Permute2x128(u1, u5, 0x20).Store(o + ldd);
            Avx.Permute2x128(u2, u6, 0x20).Store(o + 2 * ldd);
            Avx.Permute2x128(u3, u7, 0x20).Store(o + 3 * ldd);
            Avx.Permute2x128(u0, u4, 0x31).Store(o + 4 * ldd);
            Avx.Permute2x128(u1, u5, 0x31).Store(o + 5 * ldd);
            Avx.Permute2x128(u2, u6, 0x31).Store(o + 6 * ldd);
            Avx.Permute2x128(u3, u7, 0x31).Store(o + 7 * ldd);
        }
        for (; p < cols; p++)
            for (int i = 0; i < 8; i++) d[p * ldd + i] = s[i * lds + p];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows4x4Double(double* s, nint lds, int cols, double* d, nint ldd)
    {
        int p = 0;
        for (; p + 4 <= cols; p += 4)
        {
            double* q = s + p;
            var r0 = Vector256.Load(q); var r1 = Vector256.Load(q + lds); var r2 = Vector256.Load(q + 2 * lds); var r3 = Vector256.Load(q + 3 * lds);
            var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
            double* o = d + p * ldd;
            Avx.Permute2x128(t0, t2, 0x20).Store(o);
            Avx.Permute2x128(t1, t3, 0x20).Store(o + ldd);
            Avx.Permute2x128(t0, t2, 0x31).Store(o + 2 * ldd);
            Avx.Permute2x128(t1, t3, 0x31).Store(o + 3 * ldd);
        }
        for (; p < cols; p++)
            for (int i = 0; i < 4; i++) d[p * ldd + i] = s[i * lds + p];
    }
}
