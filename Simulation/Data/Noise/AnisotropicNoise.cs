using Verify.Simulation.Randomness;

namespace Verify.Simulation.Data.Noise;

/// <summary>
/// ξ ~ N(0, σ²·diag(λ_1, …, λ_d)) with λ_1 = 1 on the signal direction e_1 (so M/σ keeps its meaning along μ) and on the
/// d − 1 other coordinates a geometric spectrum from κ·c (e_2, the largest) down to c (e_d): λ_j = c·κ^{1 − (j−2)/(d−2)}
/// for j = 2…d (1-based), c chosen so that their mean is 1. Then the mean variance over all d coordinates is σ², c ≤ 1 ≤ κ·c,
/// and the whole covariance has condition number κ (d ≥ 3; for d ≤ 2 the spectrum is 1: one off-μ coordinate has no
/// spread). Strong log-concavity 1/(σ²·κ·c), the inverse of the largest variance.
/// </summary>
internal sealed class AnisotropicNoise : NoiseLaw
{
    private readonly double[] _std;

    public AnisotropicNoise(double sigma, long dimension, double condition) : base(sigma, dimension)
    {
        Condition = condition;
        if (dimension > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(dimension), "an anisotropic spectrum is held per coordinate");
        int d = (int)dimension;
        var lambda = new double[d];
        lambda[0] = 1;
        if (d >= 3)
        {
            double log = Math.Log(condition), sum = 0;
            for (int j = 1; j < d; j++) sum += lambda[j] = Math.Exp(log * (1 - (j - 1.0) / (d - 2)));
            double c = (d - 1) / sum;
            for (int j = 1; j < d; j++) lambda[j] *= c;
        }
        else for (int j = 1; j < d; j++) lambda[j] = 1;
        Eigenvalues = lambda;
        _std = Array.ConvertAll(lambda, l => sigma * Math.Sqrt(l));
    }

    /// <summary>κ, the requested condition number.</summary>
    public double Condition { get; }

    /// <summary>λ_1 … λ_d, the covariance over σ² (mean 1).</summary>
    public IReadOnlyList<double> Eigenvalues { get; }

    public override double StdDev(long j) => _std[j];
    public override double StandardCdf(double z) => MathNet.Numerics.Distributions.Normal.CDF(0, 1, z);
    public override double StandardInverseCdf(double p) => NormalInverseCdf(p);
    public override double StrongLogConcavity => 1 / (Sigma * Sigma * Eigenvalues.Max());

    /// <summary>(Σλ_j)²/Σλ_j² = d/mean(λ_j²) (the λ_j have mean 1).</summary>
    public override double EffectiveDimension
    {
        get
        {
            double sum = 0, squares = 0;
            foreach (double l in Eigenvalues) { sum += l; squares += l * l; }
            return sum * sum / squares;
        }
    }

    public override void FillRow(Rng rng, Span<double> row)
    {
        for (int j = 0; j < row.Length; j++) row[j] = _std[j] * rng.NextNormal();
    }
}
