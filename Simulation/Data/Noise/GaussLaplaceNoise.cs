using Verify.Simulation.Randomness;
using static MathNet.Numerics.SpecialFunctions;

namespace Verify.Simulation.Data.Noise;

/// <summary>
/// i.i.d. coordinates of the Gaussian–Laplace product law: X has density ∝ exp(−x²/2 − c|x|) (c = 1), i.e. |X| + c is a
/// standard normal conditioned on exceeding c; each coordinate is σ·X/√v, v = Var X = 1 + c² − c·φ(c)/Q(c) ≈ 0.474865,
/// so its variance is σ². The standardized density is ∝ exp(−v·z²/2 − c·√v·|z|): −(log p)″ = v away from 0 and a convex
/// kink at 0, so the strong log-concavity constant is v/σ² (a Gaussian of the same variance has 1/σ²). Against that
/// Gaussian: a peak with a kink at 0 and tails like exp(−v·z²/2), heavier. Exact sampler (rejection: a standard normal
/// z with |z| &gt; c, accepted with probability 2Q(c) ≈ 0.317, then z − c·sign z), CDF and inverse CDF in closed form
/// through erfc and its inverse.
/// </summary>
internal sealed class GaussLaplaceNoise(double sigma, long dimension) : NoiseLaw(sigma, dimension)
{
    /// <summary>c, the Laplace rate of the unscaled law.</summary>
    public const double Shift = 1;

    /// <summary>erfc(c/√2) = 2·Q(c).</summary>
    private static readonly double TailAtShift = Erfc(Shift / Math.Sqrt(2));

    /// <summary>v = Var X = 1 + c² − c·φ(c)/Q(c): the strong log-concavity constant of the standardized coordinate.</summary>
    public static readonly double UnitVariance = 1 + Shift * Shift - Shift * Math.Exp(-Shift * Shift / 2) / Math.Sqrt(2 * Math.PI) / (TailAtShift / 2);

    private static readonly double RootV = Math.Sqrt(UnitVariance);

    public override double StdDev(long j) => Sigma;

    public override double StandardCdf(double z)
    {
        // P(Z > z) for z ≥ 0 is ½·Q(z·√v + c)/Q(c); the law is symmetric.
        double half = 0.5 * Erfc((Math.Abs(z) * RootV + Shift) / Math.Sqrt(2)) / TailAtShift;
        return z >= 0 ? 1 - half : half;
    }

    public override double StandardInverseCdf(double p)
    {
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return double.PositiveInfinity;
        if (p == 0.5) return 0;
        // The tail of mass t = min(p, 1 − p) sits beyond |z| with erfc((|z|√v + c)/√2) = 2t·erfc(c/√2).
        double t = p < 0.5 ? p : 1 - p;
        double u = Math.Sqrt(2) * ErfcInv(2 * t * TailAtShift);
        double z = Math.Max(0, (u - Shift) / RootV);
        return p < 0.5 ? -z : z;
    }

    public override double StrongLogConcavity => UnitVariance / (Sigma * Sigma);

    public override void FillRow(Rng rng, Span<double> row)
    {
        double scale = Sigma / RootV;
        for (int j = 0; j < row.Length; j++)
        {
            double z;
            do z = rng.NextNormal(); while (Math.Abs(z) <= Shift);
            row[j] = scale * (z > 0 ? z - Shift : z + Shift);
        }
    }
}
