using Verify.Simulation.Settings;

namespace Verify.Simulation.Data.Noise;

/// <summary>
/// Which clean labels a run flips (<see cref="LabelNoise"/>). Random flips are drawn with the labels; the other rules
/// are functions of the noise ξ (never of the signal), decided after ξ is drawn, with thresholds from the law of ξ's
/// coordinate (exact, never from a sample). Each flips a β-fraction of the population and changes only y, so the
/// noisy distribution has the clean x-marginal and is within TV distance β of the clean mixture: exactly β where the
/// two labels' flip regions in x are disjoint (confident, spurious), less where they meet (docs/theory.md).
/// </summary>
internal sealed class LabelRule
{
    private readonly double _threshold;

    public LabelRule(LabelNoise kind, double beta, NoiseLaw law)
    {
        Kind = kind;
        // y_c·ξ_j has the law of ξ_j (y_c is an independent sign, the law symmetric): its β-quantile is ξ_j's.
        _threshold = kind switch
        {
            LabelNoise.Margin or LabelNoise.Confident => law.Quantile(0, beta),
            LabelNoise.Spurious => law.Quantile(1, beta),
            _ => double.NaN,
        };
    }

    public LabelNoise Kind { get; }

    /// <summary>Whether the flip is a function of x (decided by <see cref="Flips"/>) rather than drawn with the labels.</summary>
    public bool DependsOnX => Kind != LabelNoise.Random;

    /// <summary>The coordinate of ξ the rule reads: 0 (e_1 = μ/‖μ‖) or 1 (e_2, the spurious direction).</summary>
    public int Coordinate => Kind == LabelNoise.Spurious ? 1 : 0;

    /// <summary>
    /// Margin: y_c·ξ_1 ≤ q_β; confident: y_c·ξ_1 ≥ q_{1−β} = −q_β; spurious: y_c·ξ_2 ≤ q_β of ξ_2 (q_0 = −∞: no flips).
    /// <paramref name="noise"/> is ξ, or its first coordinates (at least <see cref="Coordinate"/> + 1 of them).
    /// </summary>
    public bool Flips(int cleanLabel, ReadOnlySpan<double> noise) => Kind switch
    {
        LabelNoise.Margin => cleanLabel * noise[0] <= _threshold,
        LabelNoise.Confident => cleanLabel * noise[0] >= -_threshold,
        LabelNoise.Spurious => cleanLabel * noise[1] <= _threshold,
        _ => throw new InvalidOperationException("random flips are drawn with the labels"),
    };
}
