using Verify.Simulation.Randomness;
using Verify.Simulation.Settings;

namespace Verify.Simulation.Data.Noise;

/// <summary>
/// The law of the mixture's noise ξ ∈ R^d (docs/theory.md, "Noise families and label-noise rules"): independent
/// coordinates ξ_j = StdDev(j)·Z_j, the Z_j i.i.d. from one symmetric standardized law (mean 0, variance 1) whose
/// CDF and inverse CDF are given exactly. Every family is strongly log-concave: −∇² log p(ξ) ⪰ StrongLogConcavity·I.
/// </summary>
internal abstract class NoiseLaw
{
    protected NoiseLaw(double sigma, long dimension) => (Sigma, Dimension) = (sigma, dimension);

    /// <summary>σ: the root mean variance per coordinate, in input units.</summary>
    public double Sigma { get; }
    public long Dimension { get; }

    /// <summary>The standard deviation of coordinate <paramref name="j"/> (0-based; 0 is the signal direction e_1).</summary>
    public abstract double StdDev(long j);

    public double Variance(long j) => StdDev(j) * StdDev(j);

    /// <summary>The CDF of the standardized coordinate ξ_j/StdDev(j) (the same law for every j).</summary>
    public abstract double StandardCdf(double z);

    /// <summary>Its inverse: −∞ at 0, +∞ at 1; symmetric, F⁻¹(1 − p) = −F⁻¹(p).</summary>
    public abstract double StandardInverseCdf(double p);

    /// <summary>P(ξ_j ≤ x).</summary>
    public double Cdf(long j, double x) => StandardCdf(x / StdDev(j));

    /// <summary>The p-quantile of ξ_j, from the law (never from a sample).</summary>
    public double Quantile(long j, double p) => StdDev(j) * StandardInverseCdf(p);

    /// <summary>The largest κ with −∇² log p(ξ) ⪰ κ·I (input units⁻²): 1/σ² for N(0, σ²I), the best possible at variance σ² (Brascamp–Lieb).</summary>
    public abstract double StrongLogConcavity { get; }

    /// <summary>
    /// (tr Σ)²/tr Σ², the effective dimension of the covariance (d for a multiple of the identity). Overridden where the
    /// spectrum is not flat.
    /// </summary>
    public virtual double EffectiveDimension => Dimension;

    /// <summary>Draws one row of ξ (length d) from <paramref name="rng"/>.</summary>
    public abstract void FillRow(Rng rng, Span<double> row);

    /// <summary>The law a run's settings name.</summary>
    public static NoiseLaw Of(NoiseFamily family, double sigma, long dimension, double condition) => family switch
    {
        NoiseFamily.Gaussian => new GaussianNoise(sigma, dimension),
        NoiseFamily.GaussLaplace => new GaussLaplaceNoise(sigma, dimension),
        NoiseFamily.Anisotropic => new AnisotropicNoise(sigma, dimension, condition),
        _ => throw new ArgumentOutOfRangeException(nameof(family)),
    };

    /// <summary>Φ⁻¹(p), with the ends exact.</summary>
    internal static double NormalInverseCdf(double p)
        => p <= 0 ? double.NegativeInfinity : p >= 1 ? double.PositiveInfinity : MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, p);
}
