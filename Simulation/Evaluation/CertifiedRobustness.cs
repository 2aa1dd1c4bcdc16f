
namespace Verify.Simulation.Evaluation;

/// <summary>
/// The robust test error (noisy labels) bracketed per test point: certified robust (the lower bound of the
/// worst-case margin is &gt; 0), attacked (the evaluation attack brought the margin to ≤ 0), or undecided.
/// The true robust error lies in [Attacked, Total − Certified] / Total.
/// </summary>
/// <param name="CertifiedPlain">Certified by the plain (CROWN) bound.</param>
/// <param name="Certified">Certified by the plain bound or, for the undecided points, by the bound with optimized slopes (= CertifiedPlain when <paramref name="OptimizeSteps"/> is 0).</param>
/// <param name="Conflicts">Points both certified and attacked: impossible for a sound bound and a correct evaluation, so any is a bug.</param>
public sealed record CertifiedRobustness(int Total, int Attacked, int CertifiedPlain, int Certified, int Conflicts, int OptimizeSteps)
{
    public int Undecided => Total - Attacked - Certified + Conflicts;

    /// <summary>The upper end of the bracket: points not certified, over all.</summary>
    public ErrorEstimate Upper => new(Total - Certified, Total);

    /// <summary>The upper end with the plain bound only.</summary>
    public ErrorEstimate UpperPlain => new(Total - CertifiedPlain, Total);
}
