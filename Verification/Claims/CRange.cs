namespace Verify.Verification.Claims;

/// <summary>Claims tested (in scope and reached), contradicted and not reached at one C.</summary>
internal sealed record CPoint(double C, int InScope, int Contradicted, int NotReached);

/// <summary>
/// The theorems tested as a function of the unknown C. JSON: the top-level "claims" of results.json.
/// </summary>
/// <param name="C">The experiment's C, at which tables show bounds and outcomes.</param>
/// <param name="CMin">The infimum of the C from which on no claim is contradicted (on the grid, refined by
/// bisection between grid points); null when claims are contradicted up to the grid's largest C, or when no
/// claim is testable at all (<see cref="Testable"/> = 0: nothing to be consistent with).</param>
/// <param name="CMinAtGridStart">No claim is contradicted anywhere on the grid: C_min is at most the grid's smallest C.</param>
/// <param name="InScopeAtCMin">Claims tested at C_min (where the theorem is consistent with every measurement).</param>
/// <param name="SetBy">The claims contradicted just below C_min: what keeps C from being smaller.</param>
/// <param name="Claims">Every claim made at any cell (outside-model ones included).</param>
/// <param name="Testable">Claims in the model whose runs reached the state they describe (in scope at some C).</param>
internal sealed record ClaimsSummary(
    double C,
    int InScopeAtC,
    int ContradictedAtC,
    int NotReachedAtC,
    double? CMin,
    bool CMinAtGridStart,
    int InScopeAtCMin,
    IReadOnlyList<ClaimKindCount> InScopeAtCMinByKind,
    IReadOnlyList<ClaimResult> SetBy,
    int Claims,
    int Testable,
    int OutsideModel,
    IReadOnlyList<ClaimKindCount> AtCByKind,
    IReadOnlyList<CPoint> ByC);

/// <summary>Outcomes of one kind of claim at one C.</summary>
internal sealed record ClaimKindCount(ClaimKind Claim, int Upheld, int Contradicted, int NotReached, int OutsideHypotheses, int OutsideModel, int Unresolved = 0)
{
    public int InScope => Upheld + Contradicted + Unresolved;
}

/// <summary>
/// Contradictions can only fall as C grows (fewer cells in scope, looser bounds), so the data fix
/// C_min, the smallest C at which the theorem is consistent with every measurement. Each C applies the
/// Holm correction to the claims tested there; because that family shrinks with C, C_min is taken as
/// the start of the contradiction-free tail of the grid, not the first contradiction-free point.
/// </summary>
internal static class CRange
{
    /// <summary>10⁻³ … 10³, ten points per decade.</summary>
    public static IReadOnlyList<double> Grid { get; } = Enumerable.Range(0, 61).Select(i => Math.Pow(10, -3 + i / 10.0)).ToList();

    public static ClaimsSummary Analyze(IReadOnlyList<Claim> claims, double c)
    {
        var byC = Grid.Select(x => ClaimEvaluation.Count(claims, x)).ToList();
        int last = byC.FindLastIndex(p => p.Contradicted > 0);
        (double Below, double CMin)? edge = last < 0 || last == Grid.Count - 1 ? null : Refine(claims, Grid[last], Grid[last + 1]);
        bool anyTestable = claims.Any(x => x.Readiness == Readiness.Testable);
        double? cMin = !anyTestable ? null : last < 0 ? Grid[0] : edge?.CMin;
        var atC = ClaimEvaluation.At(claims, c);
        var aboveCMin = cMin is { } m ? ClaimEvaluation.At(claims, m) : [];
        var setBy = edge is { } e ? ClaimEvaluation.At(claims, e.Below).Where(r => r.Outcome == ClaimOutcome.Contradicted).ToList() : [];
        return new ClaimsSummary(
            c,
            atC.Count(r => r.Outcome.Tested()),
            atC.Count(r => r.Outcome == ClaimOutcome.Contradicted),
            atC.Count(r => r.Outcome == ClaimOutcome.NotReached),
            cMin,
            anyTestable && last < 0,
            aboveCMin.Count(r => r.Outcome.Tested()),
            ByKind(aboveCMin),
            setBy,
            claims.Count,
            claims.Count(x => x.Readiness == Readiness.Testable),
            claims.Count(x => x.Readiness == Readiness.OutsideModel),
            ByKind(atC),
            byC);
    }

    /// <summary>
    /// Bisection in log C between a contradicted <paramref name="lo"/> and a contradiction-free
    /// <paramref name="hi"/>: the two sides of the switch, within 10⁻⁹ (relative) of each other.
    /// </summary>
    private static (double Below, double CMin) Refine(IReadOnlyList<Claim> claims, double lo, double hi)
    {
        for (int i = 0; i < 40 && hi / lo > 1 + 1e-9; i++)
        {
            double mid = Math.Sqrt(lo * hi);
            if (ClaimEvaluation.Count(claims, mid).Contradicted > 0) lo = mid; else hi = mid;
        }
        return (lo, hi);
    }

    private static IReadOnlyList<ClaimKindCount> ByKind(IReadOnlyList<ClaimResult> results)
        => Enum.GetValues<ClaimKind>().Select(k =>
        {
            var r = results.Where(x => x.Claim == k).ToList();
            return new ClaimKindCount(k, r.Count(x => x.Outcome == ClaimOutcome.Upheld), r.Count(x => x.Outcome == ClaimOutcome.Contradicted),
                r.Count(x => x.Outcome == ClaimOutcome.NotReached), r.Count(x => x.Outcome == ClaimOutcome.OutsideHypotheses),
                r.Count(x => x.Outcome == ClaimOutcome.OutsideModel), r.Count(x => x.Outcome == ClaimOutcome.Unresolved));
        }).Where(k => k.InScope + k.NotReached + k.OutsideHypotheses + k.OutsideModel > 0).ToList();
}
