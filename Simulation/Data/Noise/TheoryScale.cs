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
    public static TheoryScale Of(NoiseFamily family, long dimension, double condition) => family switch
    {
        NoiseFamily.Gaussian => new TheoryScale(1, dimension),
        NoiseFamily.GaussLaplace => new TheoryScale(Math.Sqrt(GaussLaplaceNoise.UnitVariance), dimension),
        NoiseFamily.Anisotropic => Anisotropic(dimension, condition),
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };

    /// <summary>
    /// The anisotropic law's spectrum (<see cref="AnisotropicNoise"/>) in closed form, for any d without holding it: off μ,
    /// λ = c·κ·r^k for k = 0 … d − 2, r = κ^{−1/(d−2)}, c = (d − 1)/(κ·Σ r^k); the largest variance c·κ;
    /// d_eff = d²/(1 + c²κ²·Σ r^{2k}). The geometric sums through expm1, accurate when r is close to 1.
    /// </summary>
    private static TheoryScale Anisotropic(long dimension, double condition)
    {
        if (dimension < 3 || condition == 1) return new TheoryScale(1, dimension);
        double terms = dimension - 1, log = -Math.Log(condition) / (dimension - 2);
        double sum = ExpM1(terms * log) / ExpM1(log), squares = ExpM1(2 * terms * log) / ExpM1(2 * log);
        double c = terms / (condition * sum), top = c * condition;
        return new TheoryScale(1 / Math.Sqrt(top), (double)dimension * dimension / (1 + top * top * squares));
    }

    /// <summary>eˣ − 1 to a few ulps for small |x| too (Kahan's (u − 1)·x/ln u; .NET's double.ExpM1 is exp(x) − 1).</summary>
    private static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }
}
