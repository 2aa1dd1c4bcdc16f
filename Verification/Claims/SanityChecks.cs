using Verify.Bounds.Gaussian;
using Verify.Verification.Analysis;
using Verify.Verification.Results;

namespace Verify.Verification.Claims;

/// <summary>
/// One EXACT lower bound checked at one cell: no classifier has a clean error below the Bayes error
/// β + (1−2β)·Φ(−M), nor a robust error below β + (1−2β)·Φ(α − M) (1/2 at α ≥ M). A measurement
/// significantly below either means the attack missed adversarial points or the evaluation is wrong; the
/// certified upper end significantly below the robust bound means the certificate is wrong.
/// </summary>
/// <param name="Quantity">"clean", "robust" (the attack's error) or "robust, certified" (the certified upper end) test error, noisy labels.</param>
internal sealed record SanityCheck(string Cell, string Quantity, double LowerBound, double Measured, double PValue, double PAdjusted, bool Flagged);

/// <summary>The sanity checks of a report. JSON: the top-level "sanity" of results.json.</summary>
internal sealed record SanitySummary(int Checked, int Flagged, IReadOnlyList<SanityCheck> FlaggedChecks);

internal static class SanityChecks
{
    /// <summary>The unadjusted checks at one Gaussian cell (none for other data: the bounds are exact only for the Gaussian model).</summary>
    public static IReadOnlyList<SanityCheck> For(string cell, CellParameters p, IReadOnlyList<RunRecord> finished)
    {
        var runs = finished.Where(r => r.Metrics is not null).ToList();
        if (!p.IsGaussian || !p.HasTheory || runs.Count == 0) return [];
        double mu = p.MuInNoiseUnits, alpha = p.AlphaInNoiseUnits;
        var list = new List<SanityCheck> { Check(cell, "clean", GaussianReference.BayesClean(mu, p.Beta), ErrorSample.Of(runs.Select(r => r.Metrics!.CleanTest).ToList())) };
        if (alpha > 0)
        {
            double lower = GaussianReference.RobustLower(mu, alpha, p.Beta);
            list.Add(Check(cell, "robust", lower, ErrorSample.Of(runs.Select(r => r.Metrics!.RobustTest).ToList())));
            // The certified error is an upper end of the true robust error: below what any classifier reaches, the certificate itself is wrong.
            if (runs.All(r => r.Metrics!.RobustTestCertified is not null))
                list.Add(Check(cell, "robust, certified", lower, ErrorSample.Of(runs.Select(r => r.Metrics!.RobustTestCertified!).ToList())));
        }
        return list;
    }

    /// <summary>Holm over every check of the report (family-wise 5%): a flag is then unlikely to be chance.</summary>
    public static IReadOnlyList<SanityCheck> Adjust(IReadOnlyList<SanityCheck> checks)
    {
        var adjusted = Holm.Adjust(checks.Select(c => c.PValue).ToList());
        return checks.Select((c, i) => c with { PAdjusted = adjusted[i], Flagged = adjusted[i] <= ClaimEvaluation.FamilyWiseLevel }).ToList();
    }

    public static SanitySummary Summarize(IReadOnlyList<SanityCheck> adjusted)
        => new(adjusted.Count, adjusted.Count(c => c.Flagged), adjusted.Where(c => c.Flagged).ToList());

    private static SanityCheck Check(string cell, string quantity, double bound, ErrorSample s)
        => new(cell, quantity, bound, s.Mean, OneSidedTest.Below(s, bound), double.NaN, false);
}
