using Verify.Bounds.Gaussian;
using Verify.Verification.Analysis;
using Verify.Verification.Results;
using Verify.Verification.Cells;

namespace Verify.Verification.Claims;

/// <summary>
/// One EXACT lower bound checked at one cell: no classifier has a clean error below the Bayes error
/// β + (1−2β)·Φ(−M), nor a robust error below β + (1−2β)·Φ(α − M) (1/2 at α ≥ M). A run below either on its
/// own test points (exact binomial tail ≤ a₀) means the attack missed adversarial points or the evaluation is
/// wrong; the certified upper end below the robust bound means the certificate is wrong. The bound holds for
/// every run, so under it a run is below with probability ≤ a₀ and the cell's p-value is P(Bin(runs, a₀) ≥ runs below).
/// </summary>
/// <param name="Quantity">"clean", "robust" (the attack's error) or "robust, certified" (the certified upper end) test error, noisy labels.</param>
/// <param name="Measured">The mean over runs.</param>
/// <param name="RunsBelow">Runs significantly below the bound on their own test points.</param>
/// <param name="Untestable">No outcome of these runs could flag the check among all the report's checks.</param>
internal sealed record SanityCheck(string Cell, string Quantity, double LowerBound, double Measured, IReadOnlyList<double> RunValues, int RunsBelow,
    double PValue, double PAdjusted, bool Flagged, bool Untestable, Power? Power)
{
    internal RunErrors Errors { get; init; } = new([]);
}

/// <summary>The sanity checks of a report. JSON: the top-level "sanity" of results.json.</summary>
/// <param name="Checked">Checks made (the Holm family: all but the untestable ones).</param>
/// <param name="Power">What a flag needs over the checks made: runs below, and how far below the bound each.</param>
internal sealed record SanitySummary(int Checked, int Untestable, int Flagged, IReadOnlyList<SanityCheck> FlaggedChecks, PowerRange? Power);

internal static class SanityChecks
{
    /// <summary>The unadjusted checks at one cell with Gaussian noise and random flips (none elsewhere: the bounds are derived for that model only).</summary>
    public static IReadOnlyList<SanityCheck> For(string cell, CellParameters p, IReadOnlyList<RunRecord> finished)
    {
        var runs = finished.Where(r => r.Metrics is not null).ToList();
        if (!p.GaussianRandomFlips || !p.HasTheory || runs.Count == 0) return [];
        double mu = p.MuInNoiseUnits, alpha = p.AlphaInNoiseUnits;
        var list = new List<SanityCheck> { Check(cell, "clean", GaussianReference.BayesClean(mu, p.Beta), RunErrors.Of(runs.Select(r => r.Metrics!.CleanTest))) };
        if (alpha > 0)
        {
            double lower = GaussianReference.RobustLower(mu, alpha, p.Beta);
            list.Add(Check(cell, "robust", lower, RunErrors.Of(runs.Select(r => r.Metrics!.RobustTest))));
            // The certified error is an upper end of the true robust error: below what any classifier reaches, the certificate itself is wrong.
            if (runs.All(r => r.Metrics!.RobustTestCertified is not null))
                list.Add(Check(cell, "robust, certified", lower, RunErrors.Of(runs.Select(r => r.Metrics!.RobustTestCertified!))));
        }
        return list;
    }

    /// <summary>
    /// Holm over every check of the report that could be flagged at all (family-wise 5%): a flag is then unlikely to be
    /// chance. A check no outcome could flag among all of them is untestable and left out of the family.
    /// </summary>
    /// <param name="withPower">Also say what a flag would need (a search per run).</param>
    public static IReadOnlyList<SanityCheck> Adjust(IReadOnlyList<SanityCheck> checks, bool withPower = true)
    {
        var evidence = checks.Select(Evidence).ToList();
        double alone = ClaimEvaluation.FamilyWiseLevel / Math.Max(1, checks.Count);
        var family = Enumerable.Range(0, checks.Count).Where(i => evidence[i].CanReach(alone)).ToList();
        var adjusted = Holm.Adjust(family.Select(i => checks[i].PValue).ToList());
        double level = ClaimEvaluation.FamilyWiseLevel / Math.Max(1, family.Count);
        var result = checks.Select(c => c with { Untestable = true }).ToArray();
        for (int j = 0; j < family.Count; j++)
        {
            int i = family[j];
            result[i] = checks[i] with { PAdjusted = adjusted[j], Flagged = adjusted[j] <= ClaimEvaluation.FamilyWiseLevel, Untestable = false, Power = withPower ? evidence[i].PowerAt(level) : null };
        }
        return result;
    }

    public static SanitySummary Summarize(IReadOnlyList<SanityCheck> adjusted)
    {
        var made = adjusted.Where(c => !c.Untestable).ToList();
        return new(made.Count, adjusted.Count - made.Count, adjusted.Count(c => c.Flagged), adjusted.Where(c => c.Flagged).ToList(),
            PowerRange.Of(made.Select(c => c.Power).OfType<Power>()));
    }

    private static Evidence Evidence(SanityCheck c) => Claims.Evidence.Of(c.Errors, c.Errors, c.LowerBound, Side.Below, RunTest.RunLevel);

    /// <summary>One check, unadjusted: the runs' errors against the EXACT lower bound.</summary>
    public static SanityCheck Check(string cell, string quantity, double bound, RunErrors errors)
    {
        var e = Claims.Evidence.Of(errors, errors, bound, Side.Below, RunTest.RunLevel);
        return new SanityCheck(cell, quantity, bound, errors.Mean, errors.Rates, e.RunsBeyond, e.PValue, double.NaN, false, false, null) { Errors = errors };
    }
}
