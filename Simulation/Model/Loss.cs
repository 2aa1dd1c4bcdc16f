using System.Numerics;

namespace Verify.Simulation.Model;

/// <summary>The logistic loss ℓ(q) = log(1 + e^{−q}) of a margin q, computed without overflow.</summary>
internal static class Loss
{
    public static T Logistic<T>(T q) where T : IFloatingPointIeee754<T>
        => q > T.Zero ? LogOnePlus(T.Exp(-q)) : -q + LogOnePlus(T.Exp(q));

    /// <summary>
    /// log(1 + x) for x ≥ 0 to a few units of roundoff relative, also for x far below the roundoff of 1 (small losses in f32:
    /// log(1 + x) as written loses everything below u·ℓ). Goldberg's correction: log(u)·x/(u − 1) with u = 1 + x rounded.
    /// (.NET's LogP1 is log(x + 1) as written.)
    /// </summary>
    public static T LogOnePlus<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        return u == T.One ? x : T.Log(u) * x / (u - T.One);
    }

    /// <summary>ℓ'(q) = −1/(1 + e^{q}).</summary>
    public static T LogisticDerivative<T>(T q) where T : IFloatingPointIeee754<T>
        => q > T.Zero ? -T.Exp(-q) / (T.One + T.Exp(-q)) : -T.One / (T.One + T.Exp(q));
}
