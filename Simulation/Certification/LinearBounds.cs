using Verify.Simulation.Settings;
using Verify.Simulation.Model;

namespace Verify.Simulation.Certification;

/// <summary>A line z ↦ Slope·z + Intercept.</summary>
internal readonly record struct Line(double Slope, double Intercept)
{
    public double At(double z) => Slope * z + Intercept;
}

/// <summary>
/// Linear bounds of a convex activation φ on a pre-activation interval [l, u] (every activation here is
/// convex: leaky ReLU, its smoothed version and the identity). Above φ on [l, u]: the chord. Below φ on
/// the whole line: a supporting line, one for every slope a in the range of φ' — the tangent at the point
/// t_a where φ'(t_a) = a, with intercept φ(t_a) − a·t_a. Slopes in [φ'(l), φ'(u)] are the ones worth
/// taking (a slope outside is beaten on [l, u] by the nearer end), and the tangent at the midpoint is
/// CROWN's default choice: for leaky ReLU it is slope 1 when u &gt; −l, else γ.
/// </summary>
internal static class LinearBounds
{
    public static double Value(Activation act, double z) => act.Eval(z, out _);

    public static double Derivative(Activation act, double z)
    {
        act.Eval(z, out double d);
        return d;
    }

    /// <summary>The chord through (l, φ(l)) and (u, φ(u)): φ ≤ it on [l, u]. When l = u, the tangent (exact there).</summary>
    public static Line Chord(Activation act, double l, double u)
    {
        double fl = Value(act, l);
        if (!(u > l)) return Tangent(act, l);
        double slope = (Value(act, u) - fl) / (u - l);
        return new Line(slope, fl - slope * l);
    }

    /// <summary>The tangent at <paramref name="t"/>: φ ≥ it everywhere (φ convex).</summary>
    public static Line Tangent(Activation act, double t)
    {
        double slope = Derivative(act, t);
        return new Line(slope, Value(act, t) - slope * t);
    }

    /// <summary>
    /// The supporting line of slope <paramref name="a"/> (a in the range of φ'), and t_a, the point where it
    /// touches φ: d(intercept)/da = −t_a, which is what the slope optimization needs.
    /// </summary>
    public static Line Supporting(Activation act, double a, out double touch)
    {
        switch (act.Kind)
        {
            case ActivationKind.SmoothedLeakyRelu:
            {
                // φ'(t) = ((1−γ)H/2)·t + (1+γ)/2 on |t| ≤ 1/H, so t_a = (2a − 1 − γ)/((1−γ)H); at a = γ or 1 an end of that piece.
                double g = act.Gamma, h = act.Smoothness;
                touch = g < 1 ? Math.Clamp((2 * a - 1 - g) / ((1 - g) * h), -1 / h, 1 / h) : 0;
                return new Line(a, Value(act, touch) - a * touch);
            }
            default:
                // Leaky ReLU and the identity: every supporting line passes through the origin.
                touch = 0;
                return new Line(a, 0);
        }
    }

    /// <summary>The slopes [φ'(l), φ'(u)] of the supporting lines worth considering on [l, u].</summary>
    public static (double Low, double High) SlopeRange(Activation act, double l, double u)
    {
        double lo = act.Kind == ActivationKind.LeakyRelu && l < 0 ? act.Gamma : Derivative(act, l);
        double hi = act.Kind == ActivationKind.LeakyRelu && u > 0 ? 1 : Derivative(act, u);
        return (Math.Min(lo, hi), Math.Max(lo, hi));
    }
}
