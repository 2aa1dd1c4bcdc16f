using Verify.Simulation.Settings;
using System.Numerics;
using Verify.Simulation.Kernels;

namespace Verify.Simulation.Model;

/// <summary>
/// The two computations everything else is made of, on a batch of inputs X (rows × R):
/// margins q_i = y_i·f(x_i) with the coefficients P_is = y_i·a_s·φ'(⟨w_s, x_i⟩)/√m, and the
/// input gradients ∇_x q_i = Σ_s P_is·w_s (G = P·W). Buffers are owned here and reused.
/// </summary>
internal sealed class MarginKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IGemm _gemm;
    private T[] _h = [];

    // W packed once for the products of an attack (managed kernel only): as op(B) = Wᵀ for the
    // margins, as op(B) = W for the input gradients. Valid for _frozen between Freeze and Thaw.
    private readonly PackedOperand<T> _forwardW = new(), _gradientW = new();
    private TwoLayerNetwork<T>? _frozen;

    /// <summary>
    /// Largest W (elements) packed ahead: two copies per kernel, so at most 2 × 32 MB in f64. Beyond it
    /// (naive mode at large d) each product packs its own panels, as it does on OpenBLAS.
    /// </summary>
    internal const long MaxPackedElements = 4 << 20;

    public MarginKernel(IGemm gemm) => _gemm = gemm;

    public IGemm Gemm => _gemm;

    /// <summary>
    /// Until <see cref="Thaw"/>, products with <paramref name="net"/>'s weights reuse W packed once here
    /// instead of packing it in every product (a PGD attack's 2K + 1 products all use the same W; the
    /// packing is a tenth to a quarter of a product's time at n = 100). The caller guarantees that W
    /// does not change meanwhile. A no-op on OpenBLAS and for a W above <see cref="MaxPackedElements"/>.
    /// </summary>
    public void Freeze(TwoLayerNetwork<T> net)
    {
        _frozen = null;
        if (_gemm is not ManagedGemm managed || (long)net.Width * net.Dim > MaxPackedElements) return;
        var w = net.Weights.Data.AsSpan(0, net.Width * net.Dim);
        managed.Pack(_forwardW, transB: true, net.Dim, net.Width, w, net.Dim);
        managed.Pack(_gradientW, transB: false, net.Width, net.Dim, w, net.Dim);
        _frozen = net;
    }

    public void Thaw() => _frozen = null;

    /// <summary>
    /// q_i = y_i·f(x_i) for rows of <paramref name="x"/>; fills <paramref name="p"/> (rows × m) when it is not empty.
    /// </summary>
    public void Margins(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, int rows, ReadOnlySpan<sbyte> y, Span<T> q, Span<T> p)
    {
        int m = net.Width, r = net.Dim, half = m / 2;
        if (_h.Length < rows * m) _h = new T[rows * m];
        if (ReferenceEquals(net, _frozen)) ((ManagedGemm)_gemm).Gemm(false, rows, T.One, x, r, _forwardW, T.Zero, _h.AsSpan(), m);
        else _gemm.Gemm(false, true, rows, m, r, T.One, x, r, net.Weights.Data, r, T.Zero, _h, m);
        var act = net.Activation;
        T scale = net.Scale;
        bool wantP = !p.IsEmpty;
        if (act.Kind == ActivationKind.LeakyRelu && Vector.IsHardwareAccelerated && half % Vector<T>.Count == 0)
        {
            LeakyReluMargins(act, scale, rows, m, y, q, p);
            return;
        }
        for (int i = 0; i < rows; i++)
        {
            var h = _h.AsSpan(i * m, m);
            T yi = T.CreateTruncating(y[i]);
            T plus = T.Zero, minus = T.Zero;
            if (wantP)
            {
                var pi = p.Slice(i * m, m);
                T c = yi * scale;
                for (int s = 0; s < half; s++) { plus += act.Eval(h[s], out T dz); pi[s] = c * dz; }
                for (int s = half; s < m; s++) { minus += act.Eval(h[s], out T dz); pi[s] = -c * dz; }
            }
            else
            {
                for (int s = 0; s < half; s++) plus += act.Eval(h[s], out _);
                for (int s = half; s < m; s++) minus += act.Eval(h[s], out _);
            }
            q[i] = yi * scale * (plus - minus);
        }
    }

    /// <summary>
    /// The leaky-ReLU case in SIMD: φ(h) = h or γh, φ'(h) = 1 or γ by the sign of h (φ'(0) = γ as in
    /// the scalar path). The element-wise work is a quarter of a forward GEMM's time when scalar.
    /// </summary>
    private void LeakyReluMargins(Activation act, T scale, int rows, int m, ReadOnlySpan<sbyte> y, Span<T> q, Span<T> p)
    {
        int half = m / 2;
        var gamma = new Vector<T>(T.CreateTruncating(act.Gamma));
        bool wantP = !p.IsEmpty;
        for (int i = 0; i < rows; i++)
        {
            var h = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector<T>>(_h.AsSpan(i * m, m));
            T yi = T.CreateTruncating(y[i]);
            T c = yi * scale;
            var plus = Vector<T>.Zero;
            var minus = Vector<T>.Zero;
            int halfVectors = half / Vector<T>.Count;
            if (wantP)
            {
                var pi = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector<T>>(p.Slice(i * m, m));
                var cPlus = new Vector<T>(c);
                var cMinus = new Vector<T>(-c);
                for (int v = 0; v < h.Length; v++)
                {
                    var hv = h[v];
                    var positive = Vector.GreaterThan(hv, Vector<T>.Zero);
                    var phi = Vector.ConditionalSelect(positive, hv, gamma * hv);
                    var dphi = Vector.ConditionalSelect(positive, Vector<T>.One, gamma);
                    if (v < halfVectors) { plus += phi; pi[v] = cPlus * dphi; }
                    else { minus += phi; pi[v] = cMinus * dphi; }
                }
            }
            else
            {
                for (int v = 0; v < h.Length; v++)
                {
                    var hv = h[v];
                    var phi = Vector.ConditionalSelect(Vector.GreaterThan(hv, Vector<T>.Zero), hv, gamma * hv);
                    if (v < halfVectors) plus += phi; else minus += phi;
                }
            }
            q[i] = yi * scale * (Vector.Sum(plus) - Vector.Sum(minus));
        }
    }

    /// <summary>G = P·W: row i is ∇_x q_i.</summary>
    public void InputGradients(TwoLayerNetwork<T> net, ReadOnlySpan<T> p, int rows, Span<T> g)
    {
        if (ReferenceEquals(net, _frozen)) ((ManagedGemm)_gemm).Gemm(false, rows, T.One, p, net.Width, _gradientW, T.Zero, g, net.Dim);
        else _gemm.Gemm(false, false, rows, net.Dim, net.Width, T.One, p, net.Width, net.Weights.Data, net.Dim, T.Zero, g, net.Dim);
    }
}
