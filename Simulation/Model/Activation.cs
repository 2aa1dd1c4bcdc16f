using Verify.Simulation.Settings;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Verify.Simulation.Model;

/// <summary>
/// φ and its exact derivative. LeakyRelu: max(z, γz), φ'(0) = γ (the convention of the baseline).
/// SmoothedLeakyRelu (γ-leaky, H-smooth; docs/theory.md, RECONSTRUCTED): z − (1−γ)/(4H) for z ≥ 1/H,
/// ((1−γ)H/4)·z² + ((1+γ)/2)·z for |z| ≤ 1/H, γz − (1−γ)/(4H) for z ≤ −1/H.
/// Identity exists for tests (the network is then linear and the exact attack is known).
/// </summary>
public sealed record Activation(ActivationKind Kind, double Gamma = 0.1, double Smoothness = 1)
{
    public static Activation LeakyRelu(double gamma = 0.1) => new(ActivationKind.LeakyRelu, gamma);
    public static Activation Smoothed(double gamma = 0.1, double h = 1) => new(ActivationKind.SmoothedLeakyRelu, gamma, h);
    public static Activation Identity { get; } = new(ActivationKind.Identity, 1);

    public Activation Validate()
    {
        Keys.Gamma.Check(Gamma);
        Keys.Smoothness.Check(Smoothness);
        return this;
    }

    public override string ToString() => Kind switch
    {
        ActivationKind.LeakyRelu => $"leaky-relu(γ={Gamma:R})",
        ActivationKind.SmoothedLeakyRelu => $"smoothed-leaky-relu(γ={Gamma:R}, H={Smoothness:R})",
        _ => "identity",
    };

    /// <summary>φ(z) and φ'(z) in one call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Eval<T>(T z, out T dz) where T : IFloatingPointIeee754<T>
    {
        T g = T.CreateTruncating(Gamma);
        switch (Kind)
        {
            case ActivationKind.LeakyRelu:
                if (z > T.Zero) { dz = T.One; return z; }
                dz = g; return g * z;
            case ActivationKind.SmoothedLeakyRelu:
            {
                T h = T.CreateTruncating(Smoothness);
                T inv = T.One / h;
                T shift = (T.One - g) / (T.CreateTruncating(4) * h);
                if (z >= inv) { dz = T.One; return z - shift; }
                if (z <= -inv) { dz = g; return g * z - shift; }
                T half = T.CreateTruncating(0.5);
                dz = (T.One - g) * h * half * z + (T.One + g) * half;
                return (T.One - g) * h / T.CreateTruncating(4) * z * z + (T.One + g) * half * z;
            }
            default:
                dz = T.One; return z;
        }
    }
}
