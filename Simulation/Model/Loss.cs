using System.Numerics;

namespace Verify.Simulation.Model;

/// <summary>The logistic loss ℓ(q) = log(1 + e^{−q}) of a margin q, computed without overflow.</summary>
internal static class Loss
{
    public static T Logistic<T>(T q) where T : IFloatingPointIeee754<T>
        => q > T.Zero ? T.Log(T.One + T.Exp(-q)) : -q + T.Log(T.One + T.Exp(q));

    /// <summary>ℓ'(q) = −1/(1 + e^{q}).</summary>
    public static T LogisticDerivative<T>(T q) where T : IFloatingPointIeee754<T>
        => q > T.Zero ? -T.Exp(-q) / (T.One + T.Exp(-q)) : -T.One / (T.One + T.Exp(q));
}
