using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Verify.Simulation.Kernels;

/// <summary>
/// The vector operations the packed GEMM needs, over one vector type <typeparamref name="TV"/> of
/// <typeparamref name="T"/>, plus the blocking that suits that vector width. Implemented by structs
/// so that every generic instantiation is specialized and every call inlined (no virtual dispatch).
/// </summary>
internal unsafe interface ISimd<TV, T> where TV : struct where T : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Width { get; }
    /// <summary>Rows of the full register tile (broadcast operand, op(A)).</summary>
    static abstract int TileRows { get; }
    /// <summary>Vectors of the full register tile (loaded operand, op(B)); the tile is TileRows × TileVectors·Width.</summary>
    static abstract int TileVectors { get; }
    /// <summary>Depth of one packed block (k).</summary>
    static abstract int BlockDepth { get; }
    /// <summary>Rows of op(A) packed at once (kept in L2).</summary>
    static abstract int BlockRows { get; }
    /// <summary>Columns of op(B) packed at once.</summary>
    static abstract int BlockCols { get; }

    static abstract TV Zero { get; }
    static abstract TV Load(T* p);
    static abstract void Store(T* p, TV v);
    static abstract TV Broadcast(T* p);
    static abstract TV Splat(T x);
    /// <summary>a·b + c, fused where the hardware has FMA.</summary>
    static abstract TV Fma(TV a, TV b, TV c);
    static abstract TV Mul(TV a, TV b);
}

// Blocking, measured on the 2-core Zen 4 (AVX-512, 32 KB L1d, 1 MB L2 per core) on the workload's
// shapes (100×1000×600, 100×600×1000, 1000×600×100): the 8 × 3-vector AVX-512 tile (24 accumulators,
// 8 broadcasts and 3 loads per 24 FMAs) beat 12 × 2 and 6 × 4 by a few percent; depth 256 (f64) /
// 512 (f32) keeps one B panel (depth × 24 doubles = 48 KB) in L1/L2 while the A panels stream, and
// BlockRows × depth of A (≤ 300 KB) sits in L2. Rates were flat within noise (±5%) for depth
// 128…512 and BlockRows 96…512.

internal unsafe struct V512D : ISimd<Vector512<double>, double>
{
    public static int Width => 8;
    public static int TileRows => 8;
    public static int TileVectors => 3;
    public static int BlockDepth => 256;
    public static int BlockRows => 144;
    public static int BlockCols => 2048;
    public static Vector512<double> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector512<double>.Zero; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(double* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double* p, Vector512<double> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Broadcast(double* p) => Vector512.Create(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Splat(double x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Fma(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Mul(Vector512<double> a, Vector512<double> b) => a * b;
}

internal unsafe struct V512F : ISimd<Vector512<float>, float>
{
    public static int Width => 16;
    public static int TileRows => 8;
    public static int TileVectors => 3;
    public static int BlockDepth => 512;
    public static int BlockRows => 144;
    public static int BlockCols => 4096;
    public static Vector512<float> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector512<float>.Zero; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector512<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float* p) => Vector512.Create(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Splat(float x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;
}

// 256-bit: 16 vector registers without AVX-512, so a 6 × 2-vector tile (12 accumulators, BLIS's Haswell shape).
internal unsafe struct V256D : ISimd<Vector256<double>, double>
{
    public static int Width => 4;
    public static int TileRows => 6;
    public static int TileVectors => 2;
    public static int BlockDepth => 256;
    public static int BlockRows => 72;
    public static int BlockCols => 2048;
    public static Vector256<double> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector256<double>.Zero; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(double* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double* p, Vector256<double> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Broadcast(double* p) => Vector256.Create(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Splat(double x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Fma(Vector256<double> a, Vector256<double> b, Vector256<double> c)
        => System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c) : a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Mul(Vector256<double> a, Vector256<double> b) => a * b;
}

internal unsafe struct V256F : ISimd<Vector256<float>, float>
{
    public static int Width => 8;
    public static int TileRows => 6;
    public static int TileVectors => 2;
    public static int BlockDepth => 384;
    public static int BlockRows => 72;
    public static int BlockCols => 4096;
    public static Vector256<float> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector256<float>.Zero; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector256<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float* p) => Vector256.Create(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Splat(float x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c)
        => System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c) : a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;
}

// Vector<T>: whatever width the platform has (128-bit NEON on Arm64); MultiplyAddEstimate is a fused
// multiply-add where the hardware has one and a multiply and an add otherwise.
internal unsafe struct VecD : ISimd<Vector<double>, double>
{
    public static int Width => Vector<double>.Count;
    public static int TileRows => 6;
    public static int TileVectors => 2;
    public static int BlockDepth => 256;
    public static int BlockRows => 72;
    public static int BlockCols => 2048;
    public static Vector<double> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector<double>.Zero; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Load(double* p) => Vector.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double* p, Vector<double> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Broadcast(double* p) => new(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Splat(double x) => new(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Fma(Vector<double> a, Vector<double> b, Vector<double> c) => Vector.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<double> Mul(Vector<double> a, Vector<double> b) => a * b;
}

internal unsafe struct VecF : ISimd<Vector<float>, float>
{
    public static int Width => Vector<float>.Count;
    public static int TileRows => 6;
    public static int TileVectors => 2;
    public static int BlockDepth => 384;
    public static int BlockRows => 72;
    public static int BlockCols => 4096;
    public static Vector<float> Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Vector<float>.Zero; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<float> Load(float* p) => Vector.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector<float> v) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<float> Broadcast(float* p) => new(*p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<float> Splat(float x) => new(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<float> Fma(Vector<float> a, Vector<float> b, Vector<float> c) => Vector.MultiplyAddEstimate(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<float> Mul(Vector<float> a, Vector<float> b) => a * b;
}

/// <summary>No SIMD at all: one lane, plain multiply and add (a software fused multiply-add would be far slower).</summary>
internal unsafe struct ScalarOps<T> : ISimd<T, T> where T : unmanaged, INumber<T>
{
    public static int Width => 1;
    public static int TileRows => 4;
    public static int TileVectors => 2;
    public static int BlockDepth => 256;
    public static int BlockRows => 64;
    public static int BlockCols => 1024;
    public static T Zero { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => T.Zero; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Load(T* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T* p, T v) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Broadcast(T* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Splat(T x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Fma(T a, T b, T c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Mul(T a, T b) => a * b;
}
