using Verify.Simulation.Randomness;

namespace Verify.Simulation.Data.Noise;

/// <summary>
/// ξ ~ N(0, σ²·I_d), the paper's noise. Rows are drawn as every run before the noise setting drew them
/// (<see cref="Rng.FillNormal"/> with scale σ), so stored runs reproduce bit for bit. Strong log-concavity 1/σ².
/// </summary>
internal sealed class GaussianNoise(double sigma, long dimension) : NoiseLaw(sigma, dimension)
{
    public override double StdDev(long j) => Sigma;
    public override double StandardCdf(double z) => MathNet.Numerics.Distributions.Normal.CDF(0, 1, z);
    public override double StandardInverseCdf(double p) => NormalInverseCdf(p);
    public override double StrongLogConcavity => 1 / (Sigma * Sigma);
    public override void FillRow(Rng rng, Span<double> row) => rng.FillNormal(row, Sigma);
}
