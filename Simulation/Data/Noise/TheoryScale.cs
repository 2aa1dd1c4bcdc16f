using Verify.Simulation.Settings;

namespace Verify.Simulation.Data.Noise;

/// <summary>
/// How a noise family enters the theorem's hypotheses and bound (docs/theory.md, "How they enter A1–A4 and R",
/// RECONSTRUCTED): the scale s = 1/√κ of its strong log-concavity replaces σ, and the effective dimension
/// (tr Σ)²/tr Σ² replaces d. Both are EXACT properties of the law as implemented; their use in the theory is the
/// RECONSTRUCTED step.
/// </summary>
/// <param name="SignalFactor">σ/s = σ·√κ: M/σ and α/σ are multiplied by it (1 for Gaussian noise, √v = 0.689 for
/// gauss-laplace, 1/√(c·κ_Σ) for anisotropic).</param>
/// <param name="EffectiveDimension">(tr Σ)²/tr Σ² (d for gaussian and gauss-laplace, whose covariance is σ²·I).</param>
public sealed record TheoryScale(double SignalFactor, double EffectiveDimension)
{
    /// <summary>The scale of <paramref name="family"/> in dimension d (condition κ_Σ for the anisotropic law; ignored otherwise).</summary>
    public static TheoryScale Of(NoiseFamily family, long dimension, double condition)
    {
        var law = NoiseLaw.Of(family, 1, dimension, family == NoiseFamily.Anisotropic ? condition : 1);
        return new TheoryScale(Math.Sqrt(law.StrongLogConcavity), law.EffectiveDimension);
    }
}
