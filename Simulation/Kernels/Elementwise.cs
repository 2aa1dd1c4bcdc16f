using System.Numerics;
using System.Runtime.InteropServices;

namespace Verify.Simulation.Kernels;

/// <summary>
/// The element-wise loops of an attack step, in SIMD (Vector&lt;T&gt;). Each element gets the same
/// operations, in the same order and with the same roundings, as the plain loop (no fused
/// multiply-add), so results do not change with the vector width.
/// </summary>
internal static class Elementwise
{
    /// <summary>dst ← a + b.</summary>
    public static void Add<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> dst) where T : unmanaged, INumber<T>
    {
        int n = dst.Length, j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var av = MemoryMarshal.Cast<T, Vector<T>>(a[..n]);
            var bv = MemoryMarshal.Cast<T, Vector<T>>(b[..n]);
            var dv = MemoryMarshal.Cast<T, Vector<T>>(dst);
            for (int v = 0; v < dv.Length; v++) dv[v] = av[v] + bv[v];
            j = dv.Length * Vector<T>.Count;
        }
        for (; j < n; j++) dst[j] = a[j] + b[j];
    }

    /// <summary>dst ← dst − c·x (the product rounded, then the difference).</summary>
    public static void SubtractScaled<T>(Span<T> dst, T c, ReadOnlySpan<T> x) where T : unmanaged, INumber<T>
    {
        int n = dst.Length, j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<T, Vector<T>>(x[..n]);
            var dv = MemoryMarshal.Cast<T, Vector<T>>(dst);
            var cv = new Vector<T>(c);
            for (int v = 0; v < dv.Length; v++) dv[v] -= cv * xv[v];
            j = dv.Length * Vector<T>.Count;
        }
        for (; j < n; j++) dst[j] -= c * x[j];
    }

    /// <summary>dst ← c·dst.</summary>
    public static void Scale<T>(Span<T> dst, T c) where T : unmanaged, INumber<T>
    {
        int n = dst.Length, j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var dv = MemoryMarshal.Cast<T, Vector<T>>(dst);
            var cv = new Vector<T>(c);
            for (int v = 0; v < dv.Length; v++) dv[v] *= cv;
            j = dv.Length * Vector<T>.Count;
        }
        for (; j < n; j++) dst[j] *= c;
    }
}
