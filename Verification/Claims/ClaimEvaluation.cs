namespace Verify.Verification.Claims;

/// <summary>The outcome of one claim at one C, with the numbers behind it.</summary>
/// <param name="Bound">What the theorem asserts at C (an error bound, 1/2 for the collapse; null for interpolation).</param>
/// <param name="Threshold">What the measurement is tested against: the bound widened by the failure probability δ where the claim holds only with probability 1 − δ.</param>
/// <param name="PValue">The one-sided p-value (null when the claim is not tested at C).</param>
/// <param name="PAdjusted">Holm-adjusted over every claim tested at C; contradicted when ≤ the family-wise level.</param>
internal sealed record ClaimResult(string Cell, ClaimKind Claim, ClaimOutcome Outcome, double CStar, double? Bound, double? Threshold, double Measured,
    double? PValue, double? PAdjusted, string Detail);

/// <summary>
/// Claims at one C: the ones in scope are tested together, Holm-corrected at family-wise level 5%;
/// the others get the reason they are not tested (outside the model, outside the hypotheses at this C,
/// or the state the claim describes not reached).
/// </summary>
internal static class ClaimEvaluation
{
    public const double FamilyWiseLevel = 0.05;

    /// <summary>The outcome of every claim at <paramref name="c"/>, in the order given.</summary>
    public static IReadOnlyList<ClaimResult> At(IReadOnlyList<Claim> claims, double c)
    {
        var tested = Enumerable.Range(0, claims.Count).Where(i => claims[i].TestedAt(c)).ToList();
        var p = tested.Select(i => claims[i].PValue(c)).ToArray();
        var adjusted = Holm.Adjust(p);
        var byIndex = tested.Select((i, j) => (i, j)).ToDictionary(t => t.i, t => t.j);
        var results = new ClaimResult[claims.Count];
        for (int i = 0; i < claims.Count; i++)
        {
            var x = claims[i];
            double? threshold = x is ErrorBoundClaim e ? e.Threshold(c) : x.Bound(c);
            ClaimOutcome outcome;
            double? pv = null, pa = null;
            if (x.Readiness == Readiness.OutsideModel) outcome = ClaimOutcome.OutsideModel;
            else if (!(c <= x.CStar)) outcome = ClaimOutcome.OutsideHypotheses;
            else if (x.Readiness == Readiness.NotReached) outcome = ClaimOutcome.NotReached;
            else
            {
                int j = byIndex[i];
                (pv, pa) = (p[j], adjusted[j]);
                outcome = adjusted[j] <= FamilyWiseLevel ? ClaimOutcome.Contradicted : x.Confirmed(c) ? ClaimOutcome.Upheld : ClaimOutcome.Unresolved;
            }
            results[i] = new ClaimResult(x.Cell, x.Kind, outcome, x.CStar, x.Bound(c), threshold, x.Measured, pv, pa, x.Detail);
        }
        return results;
    }

    /// <summary>How many claims are tested and how many contradicted at <paramref name="c"/>.</summary>
    public static CPoint Count(IReadOnlyList<Claim> claims, double c)
    {
        var r = At(claims, c);
        return new CPoint(c, r.Count(x => x.Outcome.Tested()),
            r.Count(x => x.Outcome == ClaimOutcome.Contradicted), r.Count(x => x.Outcome == ClaimOutcome.NotReached));
    }
}

/// <summary>Holm's step-down adjustment: controls the family-wise error rate under any dependence between the tests.</summary>
internal static class Holm
{
    /// <summary>Adjusted p-values, in the order given: p̃_(i) = max over j ≤ i of min(1, (m − j + 1)·p_(j)) in ascending order of p.</summary>
    public static double[] Adjust(IReadOnlyList<double> p)
    {
        int m = p.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => p[i]).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            int i = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }
}
