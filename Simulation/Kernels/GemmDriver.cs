using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Verify.Simulation.Kernels;

/// <summary>One GEMM call as plain data, so that worker threads can run parts of it without a closure.</summary>
internal unsafe struct GemmCall<T> where T : unmanaged
{
    public T* A, B, C;
    public int M, N, K, Lda, Ldb, Ldc;
    public bool TransA, TransB;
    public T Alpha, Beta;
    /// <summary>The split of C into parts: rows [i·RowStep, …) × columns [j·ColStep, …), part = i·ColParts + j.</summary>
    public int RowStep, ColStep, ColParts;
    /// <summary>op(B) already packed (<see cref="GemmDriver{T,TV,TO}.PackB"/>), or null: B is then packed block by block.</summary>
    public T* PackedB;
}

/// <summary>
/// The blocked, packed GEMM (Goto/BLIS loop order) for one element type and one vector width:
/// <code>
/// for jc (columns of op(B), BlockCols):  for pc (depth, BlockDepth):
///   for ic (rows of op(A), BlockRows):  pack op(A)[ic.., pc..] into MR-tall panels
///     for jr (NR-wide panels of op(B)[pc.., jc..], packed during the first ic):  for ir (MR panels):
///       register tile MR × NR over the depth
/// </code>
/// Packing absorbs the transposes, so the tile kernel only ever sees contiguous panels; op(B) is
/// packed where it is first used (panel by panel for Bᵀ, the block row by row for B), so the packed
/// data is still in cache when the tiles read it, which matters for the workload's short products
/// (m = 100 rows: each element of B is used only 100 times). Tails: a tile with fewer rows or fewer
/// vectors is its own (JIT-specialized) kernel; a tile whose last vector is partial runs on a copy
/// of its C block in a stack buffer, copied back after (so every element of C gets the same
/// instructions wherever tile and thread boundaries fall).
/// </summary>
internal static unsafe class GemmDriver<T, TV, TO> where T : unmanaged, INumber<T> where TV : struct where TO : struct, ISimd<TV, T>
{
    private static int MR => TO.TileRows;
    private static int W => TO.Width;
    private static int NR => TO.TileVectors * TO.Width;

    /// <summary>C ← α·op(A)·op(B) + β·C, split over up to <paramref name="threads"/> parts when it pays.</summary>
    public static void Execute(GemmCall<T>* g, int threads, double parallelMinFlops)
    {
        if (g->K == 0 || g->Alpha == T.Zero) { ScaleC(g); return; }
        double flops = 2.0 * g->M * g->N * g->K;
        int parts = threads <= 1 || flops < parallelMinFlops ? 1
            : (int)Math.Min(threads, Math.Max(2.0, flops / Math.Max(parallelMinFlops / 2, 1)));
        Split(g, parts);
        int total = CeilDiv(g->M, g->RowStep) * g->ColParts;
        if (total > 1 && GemmWorkers.TryRun(&RunPart, g, total)) return;
        RunBlock(g, 0, g->M, 0, g->N);
    }

    /// <summary>
    /// Chooses a grid of at most <paramref name="parts"/> rectangles of C (row boundaries on MR, column
    /// boundaries on the vector width, or on the panel width NR when op(B) comes packed) that minimizes
    /// the slowest part's estimated time: padded vector multiply-adds plus one unit per packed element.
    /// </summary>
    private static void Split(GemmCall<T>* g, int parts)
    {
        int m = g->M, n = g->N, k = g->K;
        g->RowStep = m; g->ColStep = n; g->ColParts = 1;
        if (parts <= 1) return;
        double best = double.PositiveInfinity;
        int colAlign = g->PackedB != null ? NR : W;
        for (int pm = 1; pm <= parts; pm++)
            for (int pn = 1; pm * pn <= parts; pn++)
            {
                int rs = RoundUp(CeilDiv(m, pm), MR), cs = RoundUp(CeilDiv(n, pn), colAlign);
                if (rs <= 0 || cs <= 0) continue;
                double cost = (double)rs * CeilDiv(cs, W) * k + (double)(rs + cs) * k + (double)CeilDiv(m, rs) * CeilDiv(n, cs) * 1e-3;
                if (cost < best) { best = cost; g->RowStep = rs; g->ColStep = cs; g->ColParts = CeilDiv(n, cs); }
            }
    }

    private static void RunPart(void* state, int part)
    {
        var g = (GemmCall<T>*)state;
        int i = part / g->ColParts, j = part % g->ColParts;
        int m0 = i * g->RowStep, n0 = j * g->ColStep;
        if (m0 >= g->M || n0 >= g->N) return;
        RunBlock(g, m0, Math.Min(g->M, m0 + g->RowStep), n0, Math.Min(g->N, n0 + g->ColStep));
    }

    /// <summary>The five loops over the rectangle [m0, m1) × [n0, n1) of C, on the calling thread.</summary>
    private static void RunBlock(GemmCall<T>* g, int m0, int m1, int n0, int n1)
    {
        int m = m1 - m0, n = n1 - n0, k = g->K;
        int kBlocks = CeilDiv(k, TO.BlockDepth), kcb = CeilDiv(k, kBlocks);
        int mBlocks = CeilDiv(m, TO.BlockRows), mcb = RoundUp(CeilDiv(m, mBlocks), MR);
        int nBlocks = CeilDiv(n, TO.BlockCols), ncb = RoundUp(CeilDiv(n, nBlocks), NR);
        T* ap = PackBuffers<T>.A((nint)Math.Min(mcb, RoundUp(m, MR)) * kcb);
        bool packed = g->PackedB != null;
        T* bp = packed ? null : PackBuffers<T>.B((nint)Math.Min(ncb, RoundUp(n, NR)) * kcb);
        nint npad = RoundUp(g->N, NR);
        for (int jc = n0; jc < n1; jc += ncb)
        {
            int nc = Math.Min(ncb, n1 - jc);
            for (int pc = 0; pc < k; pc += kcb)
            {
                int kc = Math.Min(kcb, k - pc);
                T beta = pc == 0 ? g->Beta : T.One;
                // A packed op(B) holds depth block pc at pc·npad, its panel at column j (a multiple of NR) j·kc further.
                T* bblock = packed ? g->PackedB + pc * npad + (nint)jc * kc : bp;
                for (int ic = m0; ic < m1; ic += mcb)
                {
                    int mc = Math.Min(mcb, m1 - ic);
                    PackA(g, ic, mc, pc, kc, ap);
                    // B panels are packed on their first use (ic = m0), right before the tiles that read
                    // them, so they are still in L1/L2 then; later row blocks reuse them.
                    Macro(g, mc, jc, nc, pc, kc, ap, bblock, g->C + (nint)ic * g->Ldc + jc, beta, packB: !packed && ic == m0);
                }
            }
        }
    }

    /// <summary>Elements of op(B) (k × n) packed whole: every depth block's panels, n padded to NR.</summary>
    public static nint PackedLength(int k, int n) => (nint)k * RoundUp(n, NR);

    /// <summary>
    /// Packs all of op(B) (g's B, Ldb, TransB, K, N) into <paramref name="dst"/> in the layout
    /// <see cref="RunBlock"/> reads when <see cref="GemmCall{T}.PackedB"/> is set: the panels it would
    /// pack for each product, with the same depth blocks, so the tiles compute exactly the same sums.
    /// </summary>
    public static void PackB(GemmCall<T>* g, T* dst)
    {
        int k = g->K, n = g->N;
        if (k == 0 || n == 0) return;
        int kBlocks = CeilDiv(k, TO.BlockDepth), kcb = CeilDiv(k, kBlocks);
        nint npad = RoundUp(n, NR);
        for (int pc = 0; pc < k; pc += kcb)
        {
            int kc = Math.Min(kcb, k - pc);
            T* block = dst + pc * npad;
            if (g->TransB)
                for (int j = 0; j < n; j += NR) PackBTransposedPanel(g, pc, kc, j, Math.Min(NR, n - j), block + (nint)j * kc);
            else PackBRows(g, pc, kc, 0, n, block);
        }
    }

    /// <summary>All register tiles of one packed block pair.</summary>
    private static void Macro(GemmCall<T>* g, int mc, int jc, int nc, int pc, int kc, T* ap, T* bp, T* c, T beta, bool packB)
    {
        int mr = MR, nr = NR, w = W;
        nint ldc = g->Ldc;
        T alpha = g->Alpha;
        T* tile = stackalloc T[12 * 64]; // ≥ MR·NR of every ISimd
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr), vectors = CeilDiv(cols, w);
            bool partial = cols != vectors * w;
            T* bpan = bp + (nint)jr * kc;
            // op(B) = Bᵀ: each panel transposed from its rows of B right before use; op(B) = B: the
            // whole block at once, row by row (strided per-panel reads would defeat the prefetchers).
            if (packB && g->TransB) PackBTransposedPanel(g, pc, kc, jc + jr, cols, bpan);
            else if (packB && jr == 0) PackBRows(g, pc, kc, jc, nc, bp);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* apan = ap + (nint)ir * kc;
                T* cc = c + ir * ldc + jr;
                if (!partial)
                    GemmMicroKernel.Dispatch<T, TV, TO>(rows, vectors, kc, apan, mr, bpan, nr, cc, ldc, alpha, beta);
                else
                {
                    // The same kernel on a copy of the C tile, so every element of C gets the same
                    // instruction sequence wherever the tile and thread boundaries fall (results do not
                    // depend on the thread count). β = 0: C is not read.
                    if (beta != T.Zero)
                        for (int i = 0; i < rows; i++) new ReadOnlySpan<T>(cc + i * ldc, cols).CopyTo(new Span<T>(tile + i * nr, cols));
                    GemmMicroKernel.Dispatch<T, TV, TO>(rows, vectors, kc, apan, mr, bpan, nr, tile, nr, alpha, beta);
                    for (int i = 0; i < rows; i++) new ReadOnlySpan<T>(tile + i * nr, cols).CopyTo(new Span<T>(cc + i * ldc, cols));
                }
            }
        }
    }

    /// <summary>
    /// One panel of op(B) = Bᵀ: rows pc..pc+kc, columns j0..j0+cols (cols ≤ NR) of op(B), i.e. rows
    /// j0.. of B, as kc rows of NR contiguous elements (columns past cols zero). The next panel's rows
    /// of B are prefetched meanwhile.
    /// </summary>
    private static void PackBTransposedPanel(GemmCall<T>* g, int pc, int kc, int j0, int cols, T* dst)
    {
        int nr = NR;
        nint ldb = g->Ldb;
        GemmTranspose.Into(g->B + (nint)j0 * ldb + pc, ldb, cols, kc, dst, nr, Sse.IsSupported ? nr * ldb : 0);
        if (cols < nr)
            for (int p = 0; p < kc; p++)
                for (int j = cols; j < nr; j++) dst[(nint)p * nr + j] = T.Zero;
    }

    /// <summary>
    /// op(B) = B: rows pc..pc+kc, columns jc..jc+nc, row by row (each row segment read once,
    /// sequentially) into its NR-wide panels (columns past nc zero).
    /// </summary>
    private static void PackBRows(GemmCall<T>* g, int pc, int kc, int jc, int nc, T* dst)
    {
        int nr = NR, w = W, nv = TO.TileVectors;
        nint ldb = g->Ldb;
        int full = nc / nr * nr;
        for (int p = 0; p < kc; p++)
        {
            T* src = g->B + (pc + p) * ldb + jc;
            T* d = dst + (nint)p * nr;
            int jr = 0;
            for (; jr < full; jr += nr, d += (nint)nr * kc)
                for (int v = 0; v < nv; v++) TO.Store(d + v * w, TO.Load(src + jr + v * w));
            if (jr < nc)
            {
                int j = 0;
                for (; j < nc - jr; j++) d[j] = src[jr + j];
                for (; j < nr; j++) d[j] = T.Zero;
            }
        }
    }

    /// <summary>op(A)[ic..ic+mc, pc..pc+kc] into panels of MR rows, each kc columns of MR contiguous elements.</summary>
    private static void PackA(GemmCall<T>* g, int ic, int mc, int pc, int kc, T* dst)
    {
        int mr = MR;
        nint lda = g->Lda;
        for (int ir = 0; ir < mc; ir += mr, dst += (nint)mr * kc)
        {
            int rows = Math.Min(mr, mc - ir);
            if (!g->TransA)
                GemmTranspose.Into(g->A + (ic + ir) * lda + pc, lda, rows, kc, dst, mr);
            else
            {
                T* src = g->A + pc * lda + ic + ir;
                for (int p = 0; p < kc; p++, src += lda)
                {
                    T* d = dst + (nint)p * mr;
                    int i = 0;
                    if (Vector256.IsHardwareAccelerated)
                        for (; i + Vector256<T>.Count <= rows; i += Vector256<T>.Count) Vector256.Store(Vector256.Load(src + i), d + i);
                    for (; i < rows; i++) d[i] = src[i];
                }
            }
        }
    }

    /// <summary>C ← β·C (k = 0 or α = 0); β = 0 writes zeros without reading C.</summary>
    private static void ScaleC(GemmCall<T>* g)
    {
        T beta = g->Beta;
        if (beta == T.One) return;
        for (int i = 0; i < g->M; i++)
        {
            var row = new Span<T>(g->C + (nint)i * g->Ldc, g->N);
            if (beta == T.Zero) row.Clear();
            else for (int j = 0; j < row.Length; j++) row[j] *= beta;
        }
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
    private static int RoundUp(int a, int b) => CeilDiv(a, b) * b;
}

/// <summary>
/// Per-thread packing buffers, 64-byte aligned, grown when a larger block comes and then reused: a
/// call allocates nothing once its thread has seen a block of that size. Pinned arrays (POH), so they
/// go away with their thread.
/// </summary>
internal static unsafe class PackBuffers<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? t_a;
    [ThreadStatic] private static T[]? t_b;

    public static T* A(nint length) => Get(ref t_a, length);
    public static T* B(nint length) => Get(ref t_b, length);

    private static T* Get(ref T[]? array, nint length)
    {
        int pad = 64 / sizeof(T);
        if (array is null || array.Length < length + pad)
            array = GC.AllocateUninitializedArray<T>(checked((int)length + pad), pinned: true);
        nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (T*)((p + 63) & ~(nint)63);
    }
}
