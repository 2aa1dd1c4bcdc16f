using System.Numerics;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;

namespace Verify.Simulation.Certification;

/// <summary>
/// A certified lower bound on the worst-case margin min over ‖δ‖ ≤ α of y·f(x + δ) for the two-layer network
/// f(x) = (1/√m)·Σ_s a_s·φ(⟨w_s, x⟩): the one-hidden-layer case of CROWN (Zhang et al. 2018), with the
/// relaxation slopes optionally optimized as in α-CROWN (Xu et al. 2021).
///
/// Within the ball each pre-activation z_s + ⟨w_s, δ⟩ lies in [z_s − α‖w_s‖, z_s + α‖w_s‖]. Write
/// y·f = Σ_s k_s·φ(·) with k_s = y·a_s/√m; bound φ from below by a supporting line where k_s &gt; 0 and from
/// above by the chord where k_s &lt; 0 (<see cref="LinearBounds"/>), so that y·f(x + δ) ≥ c₀ + ⟨g, δ⟩ with
/// g = Σ_s k_s·λ_s·w_s, whose minimum over the ball is c₀ − α‖g‖. A neuron whose interval does not cross
/// φ's kink is bounded exactly, so a network with every neuron stable (or the identity activation) gets
/// the exact worst-case margin.
///
/// The supporting slopes of the unstable neurons with k_s &gt; 0 are free: any slope in [φ'(l), φ'(u)] gives a
/// valid bound, and the bound is concave in them (c₀ is concave, −α‖g‖ is concave). The plain bound takes the
/// tangent at the midpoint; the optimized one runs projected gradient ascent from there, for all rows of a
/// batch at once: each step is two products of the batch with W (g = C·W, then ĝ·Wᵀ for the gradient), the
/// cost of one PGD step on the same rows. Each row keeps the best bound it has seen.
///
/// Coordinates: the rows w_s and the inputs are those of the run's basis (R ≤ d). Every w_s lies in the
/// basis's span, so ⟨w_s, x + δ⟩ depends on x only through its in-basis part, a perturbation's component
/// outside the span changes no pre-activation (it only spends budget), and ‖w_s‖ and ‖g‖ are the same in
/// basis coordinates as in R^d: the bound computed in any exact mode is the naive mode's bound.
///
/// Rounding: the products are done in T (f32 or f64); each pre-activation computed in T is within
/// γ_R·‖x‖·‖w_s‖ of the exact one and g within γ_m·Σ|k_s λ_s|·‖w_s‖ (γ_n = n·u/(1 − n·u), u the unit
/// roundoff), so the intervals are widened and the bound lowered by that much before it is compared with 0:
/// "certified" is a proof about the network as stored, not about its rounded evaluation.
/// Not thread-safe (scratch buffers): one per thread.
/// </summary>
internal sealed class RobustnessCertifier<T>(IGemm gemm) where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _h = [], _c = [], _g = [];
    private double[] _z = [], _slope = [], _lo = [], _hi = [], _fixedIntercept = [], _touch = [];
    private double[] _rowNorms = [];

    private static readonly double UnitRoundoff = typeof(T) == typeof(float) ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53);

    private static double Gamma(int n) => n * UnitRoundoff / (1 - n * UnitRoundoff) + 8 * Math.ScaleB(1, -53);

    /// <summary>
    /// The plain (CROWN) lower bound of each row's worst-case margin, already lowered by its rounding
    /// allowance: a row is certified robust exactly when its bound is &gt; 0.
    /// </summary>
    public void LowerBounds(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, int rows, ReadOnlySpan<sbyte> y, double alpha, Span<double> lower)
        => Bounds(net, x, rows, y, alpha, 0, lower);

    /// <summary>The bound with the supporting slopes optimized for <paramref name="steps"/> steps, for every row of <paramref name="x"/>; never below the plain bound.</summary>
    public void OptimizedLowerBounds(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, int rows, ReadOnlySpan<sbyte> y, double alpha, int steps, Span<double> lower)
        => Bounds(net, x, rows, y, alpha, steps, lower);

    /// <summary><see cref="OptimizedLowerBounds"/> for one row.</summary>
    public double OptimizedLowerBound(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, sbyte y, double alpha, int steps)
    {
        var lower = new double[1];
        Bounds(net, x, 1, [y], alpha, steps, lower);
        return lower[0];
    }

    private void Bounds(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, int rows, ReadOnlySpan<sbyte> y, double alpha, int steps, Span<double> lower)
    {
        int m = net.Width, r = net.Dim;
        if (rows == 0) return;
        var norms = RowNorms(net);
        Ensure(rows, m, r);
        gemm.Gemm(false, true, rows, m, r, T.One, x, r, net.Weights.Data, r, T.Zero, _h, m);

        var act = net.Activation;
        double scale = double.CreateTruncating(net.Scale);
        double gammaR = Gamma(r), gammaM = Gamma(m);
        var xNorm = new double[rows];
        for (int i = 0; i < rows; i++) xNorm[i] = Norm(x.Slice(i * r, r));

        // Each neuron's line: fixed (chords; supporting lines with one admissible slope) or free (a slope in [lo, hi]).
        for (int i = 0; i < rows; i++)
            for (int s = 0; s < m; s++)
            {
                int at = i * m + s;
                double z = double.CreateTruncating(_h[at]);
                double radius = (alpha + gammaR * xNorm[i]) * norms[s];
                double k = K(y[i], net, s, scale);
                _z[at] = z;
                if (k < 0)
                {
                    var chord = LinearBounds.Chord(act, z - radius, z + radius);
                    (_slope[at], _lo[at], _hi[at], _fixedIntercept[at]) = (chord.Slope, chord.Slope, chord.Slope, chord.Intercept);
                }
                else
                {
                    var (lo, hi) = LinearBounds.SlopeRange(act, z - radius, z + radius);
                    // The tangent at the midpoint z: CROWN's choice, where the ascent starts.
                    (_slope[at], _lo[at], _hi[at], _fixedIntercept[at]) = (Math.Clamp(LinearBounds.Derivative(act, z), lo, hi), lo, hi, double.NaN);
                }
            }

        var best = new double[rows];
        var bestWeighted = new double[rows];
        var value = new double[rows];
        var weighted = new double[rows];
        Evaluate(net, y, alpha, rows, value, weighted, scale);
        value.CopyTo(best, 0);
        weighted.CopyTo(bestWeighted, 0);

        if (steps > 0)
        {
            var bestSlope = (double[])_slope.Clone();
            var grad = new double[rows * m];
            var step = Enumerable.Repeat(0.5, rows).ToArray();
            Gradient(net, y, alpha, rows, scale, grad);
            for (int it = 0; it < steps; it++)
            {
                // Trial slopes: a projected step along the gradient at each row's best point, scaled to its largest component.
                for (int i = 0; i < rows; i++)
                {
                    double largest = 0;
                    for (int s = 0; s < m; s++) largest = Math.Max(largest, Math.Abs(grad[i * m + s]));
                    for (int s = 0; s < m; s++)
                    {
                        int at = i * m + s;
                        _slope[at] = largest == 0 || _hi[at] == _lo[at] ? bestSlope[at]
                            : Math.Clamp(bestSlope[at] + step[i] * (_hi[at] - _lo[at]) * grad[at] / largest, _lo[at], _hi[at]);
                    }
                }
                Evaluate(net, y, alpha, rows, value, weighted, scale);
                var trialGrad = new double[rows * m];
                Gradient(net, y, alpha, rows, scale, trialGrad);
                for (int i = 0; i < rows; i++)
                {
                    if (value[i] > best[i])
                    {
                        (best[i], bestWeighted[i]) = (value[i], weighted[i]);
                        Array.Copy(_slope, i * m, bestSlope, i * m, m);
                        Array.Copy(trialGrad, i * m, grad, i * m, m);
                        step[i] = Math.Min(1, step[i] * 1.5);
                    }
                    else step[i] *= 0.5;
                }
            }
        }

        for (int i = 0; i < rows; i++)
            // z enters c₀ through λ·z (error ≤ γ_R‖x‖‖w_s‖ each), g through Σ C_s w_s (error ≤ γ_m Σ|C_s|‖w_s‖).
            lower[i] = best[i] - ((gammaR * xNorm[i] + alpha * gammaM) * bestWeighted[i] + gammaM * Math.Abs(best[i]));
    }

    /// <summary>c₀ − α‖g‖ at the current slopes for every row, and Σ_s |k_s λ_s|·‖w_s‖ (for the rounding allowance); leaves g in _g.</summary>
    private void Evaluate(TwoLayerNetwork<T> net, ReadOnlySpan<sbyte> y, double alpha, int rows, double[] value, double[] weighted, double scale)
    {
        int m = net.Width, r = net.Dim;
        var act = net.Activation;
        for (int i = 0; i < rows; i++)
        {
            double c0 = 0, w = 0;
            for (int s = 0; s < m; s++)
            {
                int at = i * m + s;
                double k = K(y[i], net, s, scale), slope = _slope[at];
                double intercept = double.IsNaN(_fixedIntercept[at]) ? LinearBounds.Supporting(act, slope, out _touch[at]).Intercept : _fixedIntercept[at];
                c0 += k * (slope * _z[at] + intercept);
                double coefficient = k * slope;
                _c[at] = T.CreateTruncating(coefficient);
                w += Math.Abs(coefficient) * _rowNorms[s];
            }
            value[i] = c0;
            weighted[i] = w;
        }
        gemm.Gemm(false, false, rows, r, m, T.One, _c, m, net.Weights.Data, r, T.Zero, _g, r);
        for (int i = 0; i < rows; i++) value[i] -= alpha * Norm(_g.AsSpan(i * r, r));
    }

    /// <summary>
    /// ∂(c₀ − α‖g‖)/∂λ_s = k_s·(z_s − t_s) − α·k_s·⟨w_s, g⟩/‖g‖ for the free slopes (0 for the fixed ones), with t_s
    /// where the supporting line touches φ (the intercept's derivative is −t_s); g as the last <see cref="Evaluate"/> left it.
    /// </summary>
    private void Gradient(TwoLayerNetwork<T> net, ReadOnlySpan<sbyte> y, double alpha, int rows, double scale, double[] grad)
    {
        int m = net.Width, r = net.Dim;
        for (int i = 0; i < rows; i++)
        {
            var gi = _g.AsSpan(i * r, r);
            double n = Norm(gi);
            T inv = n > 0 ? T.CreateTruncating(1 / n) : T.Zero;
            for (int j = 0; j < r; j++) gi[j] *= inv;
        }
        gemm.Gemm(false, true, rows, m, r, T.One, _g, r, net.Weights.Data, r, T.Zero, _h, m);
        for (int i = 0; i < rows; i++)
            for (int s = 0; s < m; s++)
            {
                int at = i * m + s;
                double k = K(y[i], net, s, scale);
                grad[at] = _hi[at] == _lo[at] ? 0 : k * (_z[at] - _touch[at]) - alpha * k * double.CreateTruncating(_h[at]);
            }
    }

    private static double K(sbyte y, TwoLayerNetwork<T> net, int s, double scale) => y * net.OutputSign(s) * scale;

    private void Ensure(int rows, int m, int r)
    {
        if (_h.Length < rows * m)
        {
            _h = new T[rows * m];
            _c = new T[rows * m];
            _z = new double[rows * m];
            _slope = new double[rows * m];
            _lo = new double[rows * m];
            _hi = new double[rows * m];
            _fixedIntercept = new double[rows * m];
            _touch = new double[rows * m];
        }
        if (_g.Length < rows * r) _g = new T[rows * r];
    }

    /// <summary>‖w_s‖ for every row, computed at every call (the weights may have changed since the last).</summary>
    private double[] RowNorms(TwoLayerNetwork<T> net)
    {
        int m = net.Width, r = net.Dim;
        if (_rowNorms.Length != m) _rowNorms = new double[m];
        for (int s = 0; s < m; s++) _rowNorms[s] = Norm(net.Weights.Data.AsSpan(s * r, r));
        return _rowNorms;
    }

    private static double Norm(ReadOnlySpan<T> v)
    {
        double ss = 0;
        foreach (var e in v) { double d = double.CreateTruncating(e); ss += d * d; }
        return Math.Sqrt(ss);
    }
}
