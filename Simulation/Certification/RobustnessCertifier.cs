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
/// Coordinates: the rows w_s and the inputs are those of the run's basis (R ≤ d). Every w_s lies in the
/// basis's span, so ⟨w_s, x + δ⟩ depends on x only through its in-basis part, a perturbation's component
/// outside the span changes no pre-activation (it only spends budget), and ‖w_s‖ and ‖g‖ are the same in
/// basis coordinates as in R^d: the bound computed in any exact mode is the naive mode's bound.
///
/// Rounding: the products are done in T (f32 or f64); each pre-activation computed in T is within
/// γ_R·‖x‖·‖w_s‖ of the exact one and g within γ_m·Σ|k_s λ_s|·‖w_s‖ (γ_n = n·u/(1 − n·u), u the unit
/// roundoff), so the bound is lowered by that much before it is compared with 0: "certified" is a proof
/// about the network as stored, not about its rounded evaluation.
/// Not thread-safe (scratch buffers): one per thread.
/// </summary>
internal sealed class RobustnessCertifier<T>(IGemm gemm) where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _h = [];
    private T[] _c = [];
    private T[] _g = [];
    private TwoLayerNetwork<T>? _normsOf;
    private double[] _rowNorms = [];

    private static readonly double UnitRoundoff = typeof(T) == typeof(float) ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53);

    private static double Gamma(int n) => n * UnitRoundoff / (1 - n * UnitRoundoff) + 8 * Math.ScaleB(1, -53);

    /// <summary>
    /// The plain (CROWN) lower bound of each row's worst-case margin, already lowered by its rounding
    /// allowance: a row is certified robust exactly when its bound is &gt; 0.
    /// </summary>
    public void LowerBounds(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, int rows, ReadOnlySpan<sbyte> y, double alpha, Span<double> lower)
    {
        int m = net.Width, r = net.Dim;
        var norms = RowNorms(net);
        if (_h.Length < rows * m) { _h = new T[rows * m]; _c = new T[rows * m]; }
        if (_g.Length < rows * r) _g = new T[rows * r];
        gemm.Gemm(false, true, rows, m, r, T.One, x, r, net.Weights.Data, r, T.Zero, _h, m);

        var c0 = new double[rows];
        var allowance = new double[rows];
        double gammaR = Gamma(r), gammaM = Gamma(m);
        double scale = double.CreateTruncating(net.Scale);
        for (int i = 0; i < rows; i++)
        {
            double xNorm = Norm(x.Slice(i * r, r));
            double sum = 0, weighted = 0;
            for (int s = 0; s < m; s++)
            {
                double z = double.CreateTruncating(_h[i * m + s]);
                double radius = (alpha + gammaR * xNorm) * norms[s];
                double k = y[i] * net.OutputSign(s) * scale;
                var line = Relax(net.Activation, k, z - radius, z + radius);
                sum += k * line.At(z);
                double coefficient = k * line.Slope;
                _c[i * m + s] = T.CreateTruncating(coefficient);
                weighted += Math.Abs(coefficient) * norms[s];
            }
            c0[i] = sum;
            // z enters c₀ through λ·z (error ≤ γ_R‖x‖‖w_s‖ each), g through Σ C_s w_s (error ≤ γ_m Σ|C_s|‖w_s‖).
            allowance[i] = (gammaR * xNorm + alpha * gammaM) * weighted + Gamma(m) * Math.Abs(sum);
        }
        gemm.Gemm(false, false, rows, r, m, T.One, _c, m, net.Weights.Data, r, T.Zero, _g, r);
        for (int i = 0; i < rows; i++)
            lower[i] = c0[i] - alpha * Norm(_g.AsSpan(i * r, r)) - allowance[i];
    }

    /// <summary>
    /// The bound with the slopes of the supporting lines optimized (α-CROWN) for one row, by projected gradient
    /// ascent on a concave function of the slopes (c₀ is linear in them for leaky ReLU, concave in general;
    /// −α‖g‖ is concave). Every slope in range gives a valid bound, so the best one seen is returned; it is
    /// never below the plain bound, from which the ascent starts.
    /// </summary>
    public double OptimizedLowerBound(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, sbyte y, double alpha, int steps)
    {
        int m = net.Width, r = net.Dim;
        var norms = RowNorms(net);
        var w = net.Weights.Data;
        double scale = double.CreateTruncating(net.Scale);
        double gammaR = Gamma(r), gammaM = Gamma(m);
        double xNorm = Norm(x);
        var act = net.Activation;

        // Neurons with a fixed line (chords, and supporting lines with a single admissible slope) go into c₀ and g once.
        var free = new List<int>();
        var z = new double[m];
        var k = new double[m];
        var lo = new double[m];
        var hi = new double[m];
        double fixedC0 = 0, weighted = 0;
        var fixedG = new double[r];
        for (int s = 0; s < m; s++)
        {
            z[s] = Dot(x, w.AsSpan(s * r, r));
            double radius = (alpha + gammaR * xNorm) * norms[s];
            k[s] = y * net.OutputSign(s) * scale;
            (lo[s], hi[s]) = LinearBounds.SlopeRange(act, z[s] - radius, z[s] + radius);
            if (k[s] > 0 && hi[s] > lo[s]) { free.Add(s); weighted += Math.Abs(k[s]) * Math.Max(Math.Abs(lo[s]), Math.Abs(hi[s])) * norms[s]; continue; }
            var line = Relax(act, k[s], z[s] - radius, z[s] + radius);
            fixedC0 += k[s] * line.At(z[s]);
            Axpy(k[s] * line.Slope, w.AsSpan(s * r, r), fixedG);
            weighted += Math.Abs(k[s] * line.Slope) * norms[s];
        }

        var a = new double[free.Count];
        for (int j = 0; j < free.Count; j++)   // the tangent at the midpoint z_s, as in the plain bound
            a[j] = Math.Clamp(LinearBounds.Derivative(act, z[free[j]]), lo[free[j]], hi[free[j]]);
        var g = new double[r];
        var touch = new double[free.Count];
        double Objective(double[] slopes, bool keepTouch)
        {
            fixedG.CopyTo(g, 0);
            double c0 = fixedC0;
            for (int j = 0; j < free.Count; j++)
            {
                int s = free[j];
                var line = LinearBounds.Supporting(act, slopes[j], out double t);
                if (keepTouch) touch[j] = t;
                c0 += k[s] * line.At(z[s]);
                Axpy(k[s] * slopes[j], w.AsSpan(s * r, r), g);
            }
            return c0 - alpha * Norm(g);
        }

        double best = Objective(a, keepTouch: true);
        double step = 0.5;
        var grad = new double[free.Count];
        var trial = new double[free.Count];
        for (int it = 0; it < steps && free.Count > 0; it++)
        {
            // ∂/∂a_s = k_s·(z_s − t_s) − α·k_s·⟨w_s, g⟩/‖g‖ at the current slopes (g as left by the last evaluation of `best`).
            Objective(a, keepTouch: true);
            double gn = Norm(g);
            double largest = 0;
            for (int j = 0; j < free.Count; j++)
            {
                int s = free[j];
                double along = gn > 0 ? Dot(w.AsSpan(s * r, r), g) / gn : 0;
                grad[j] = k[s] * (z[s] - touch[j]) - alpha * k[s] * along;
                largest = Math.Max(largest, Math.Abs(grad[j]));
            }
            if (largest == 0) break;
            for (int j = 0; j < free.Count; j++)
            {
                int s = free[j];
                trial[j] = Math.Clamp(a[j] + step * (hi[s] - lo[s]) * grad[j] / largest, lo[s], hi[s]);
            }
            double value = Objective(trial, keepTouch: false);
            if (value > best) { best = value; (a, trial) = (trial, a); step = Math.Min(1, step * 1.5); }
            else step *= 0.5;
        }
        double allowance = (gammaR * xNorm + alpha * gammaM) * weighted + Gamma(m) * Math.Abs(best);
        return best - allowance;
    }

    /// <summary>The line that bounds k·φ from below on [l, u]: a supporting line (tangent at the midpoint) when k &gt; 0, the chord when k &lt; 0.</summary>
    private static Line Relax(Activation act, double k, double l, double u)
        => k > 0 ? LinearBounds.Tangent(act, 0.5 * (l + u)) : LinearBounds.Chord(act, l, u);

    private double[] RowNorms(TwoLayerNetwork<T> net)
    {
        if (ReferenceEquals(_normsOf, net)) return _rowNorms;
        int m = net.Width, r = net.Dim;
        _rowNorms = new double[m];
        for (int s = 0; s < m; s++) _rowNorms[s] = Norm(net.Weights.Data.AsSpan(s * r, r));
        _normsOf = net;
        return _rowNorms;
    }

    private static double Norm(ReadOnlySpan<T> v)
    {
        double ss = 0;
        foreach (var e in v) { double d = double.CreateTruncating(e); ss += d * d; }
        return Math.Sqrt(ss);
    }

    private static double Norm(ReadOnlySpan<double> v)
    {
        double ss = 0;
        foreach (double d in v) ss += d * d;
        return Math.Sqrt(ss);
    }

    private static double Dot(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += double.CreateTruncating(a[i]) * double.CreateTruncating(b[i]);
        return s;
    }

    private static double Dot(ReadOnlySpan<T> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += double.CreateTruncating(a[i]) * b[i];
        return s;
    }

    private static void Axpy(double c, ReadOnlySpan<T> x, Span<double> y)
    {
        if (c == 0) return;
        for (int i = 0; i < x.Length; i++) y[i] += c * double.CreateTruncating(x[i]);
    }
}
