namespace Verify.Verification.Claims;

/// <summary>The claims at one C, counted: results.json "byC" and the claims-vs-C figure.</summary>
/// <param name="Tested">Claims in the Holm family at C (in scope and testable).</param>
/// <param name="BoundsNeed">What a contradiction of a tested error-bound claim needs at C (null: none tested).</param>
internal sealed record CPoint(double C, int Tested, int Contradicted, int Untestable, int Vacuous, int NotReached, PowerRange? BoundsNeed);

/// <summary>
/// The theorems tested as a function of the unknown C. JSON: the top-level "claims" of results.json.
/// </summary>
/// <param name="C">The experiment's C, at which tables show bounds and outcomes.</param>
/// <param name="AtC">The claims at <paramref name="C"/>, counted.</param>
/// <param name="CMin">The infimum of the C from which on no claim is contradicted (on the grid, refined by
/// bisection between grid points); null when claims are contradicted up to the grid's largest C, or when no
/// claim is reached at all (<see cref="Reached"/> = 0: nothing to be consistent with).</param>
/// <param name="CMinAtGridStart">No claim is contradicted anywhere on the grid: C_min is at most the grid's smallest C.</param>
/// <param name="AtCMin">The claims at C_min (where the theorem is consistent with every measurement), counted; null without C_min.</param>
/// <param name="SetBy">The claims contradicted just below C_min: what keeps C from being smaller.</param>
/// <param name="Claims">Every claim made at any cell (outside-model ones included).</param>
/// <param name="Reached">Claims in the model whose runs reached the state they describe (in scope at some C, unless vacuous there).</param>
/// <param name="Contradicted">Every claim contradicted at C, with its runs' values (the whole list, not just the count).</param>
internal sealed record ClaimsSummary(
    double C,
    ClaimCounts AtC,
    double? CMin,
    bool CMinAtGridStart,
    ClaimCounts? AtCMin,
    IReadOnlyList<ClaimResult> SetBy,
    IReadOnlyList<ClaimResult> Contradicted,
    int Claims,
    int Reached,
    int OutsideModel,
    IReadOnlyList<CPoint> ByC);

/// <summary>One group of claims (the cells of one noise model, say) along C, each tested in the family of all claims.</summary>
/// <param name="AtC">The group's claims at the experiment's C, counted.</param>
/// <param name="CMin">As <see cref="ClaimsSummary.CMin"/>, over the group's claims.</param>
/// <param name="Reached">The group's claims whose runs reached the state they describe.</param>
internal sealed record GroupRange(ClaimCounts AtC, double? CMin, bool CMinAtGridStart, ClaimCounts? AtCMin, IReadOnlyList<ClaimResult> SetBy, int Reached);

/// <summary>
/// The claims at one C, counted overall and by kind, with the family they were tested in and what a contradiction
/// needed there.
/// </summary>
/// <param name="Tested">In the Holm family: upheld, contradicted, unresolved or beyond-not-significant.</param>
/// <param name="Family">The Holm family's size (= <paramref name="Tested"/>).</param>
/// <param name="Power">By kind, over the tested claims: how many runs beyond, and by how much, a contradiction needs.</param>
internal sealed record ClaimCounts(double C, int Tested, int Contradicted, int Untestable, int Vacuous, int NotReached,
    IReadOnlyList<ClaimKindCount> ByKind, IReadOnlyList<KindPower> Power)
{
    public int InScope => Tested + Untestable;
    public int Family => Tested;

    public static ClaimCounts Of(ClaimsAt at)
    {
        var r = at.Results;
        return new ClaimCounts(at.C, at.Tested, at.Contradicted, at.Count(ClaimOutcome.Untestable), at.Count(ClaimOutcome.Vacuous),
            at.Count(ClaimOutcome.NotReached), CountByKind(r), KindPower.Of(r));
    }

    private static IReadOnlyList<ClaimKindCount> CountByKind(IReadOnlyList<ClaimResult> results)
        => Enum.GetValues<ClaimKind>().Select(k =>
        {
            var r = results.Where(x => x.Claim == k).ToList();
            int N(ClaimOutcome o) => r.Count(x => x.Outcome == o);
            return new ClaimKindCount(k, N(ClaimOutcome.Upheld), N(ClaimOutcome.Contradicted), N(ClaimOutcome.Unresolved), N(ClaimOutcome.BeyondNotSignificant),
                N(ClaimOutcome.Untestable), N(ClaimOutcome.Vacuous), N(ClaimOutcome.NotReached), N(ClaimOutcome.OutsideHypotheses), N(ClaimOutcome.OutsideModel));
        }).Where(k => k.Total > 0).ToList();
}

/// <summary>Outcomes of one kind of claim at one C.</summary>
internal sealed record ClaimKindCount(ClaimKind Claim, int Upheld, int Contradicted, int Unresolved, int BeyondNotSignificant, int Untestable, int Vacuous,
    int NotReached, int OutsideHypotheses, int OutsideModel)
{
    public int Tested => Upheld + Contradicted + Unresolved + BeyondNotSignificant;
    public int InScope => Tested + Untestable;
    public int Total => InScope + Vacuous + NotReached + OutsideHypotheses + OutsideModel;
}

/// <summary>What a contradiction of one kind of claim needs at one C, over the tested claims of that kind.</summary>
internal sealed record KindPower(ClaimKind Claim, PowerRange Needs)
{
    public static IReadOnlyList<KindPower> Of(IReadOnlyList<ClaimResult> results)
        => results.Where(r => r.Power is not null).GroupBy(r => r.Claim).OrderBy(g => g.Key)
            .Select(g => new KindPower(g.Key, PowerRange.Of(g.Select(r => r.Power!))!)).ToList();
}

/// <summary>
/// What a contradiction (or a sanity flag) needs, over several tests: runs beyond, of how many, and the excess
/// beyond its number each must measure (below it, for the collapse and the sanity checks; 0 for interpolation,
/// where a run that stalled is beyond).
/// </summary>
internal sealed record PowerRange(int Tests, int RunsNeededLow, int RunsNeededHigh, int RunsLow, int RunsHigh, double ExcessLow, double ExcessHigh)
{
    public static PowerRange? Of(IEnumerable<Power> powers)
    {
        var p = powers.ToList();
        return p.Count == 0 ? null : new PowerRange(p.Count, p.Min(x => x.RunsNeeded), p.Max(x => x.RunsNeeded), p.Min(x => x.Runs), p.Max(x => x.Runs),
            p.Min(x => x.Excess), p.Max(x => x.Excess));
    }

    public static PowerRange? Merge(IEnumerable<PowerRange> ranges)
    {
        var r = ranges.ToList();
        return r.Count == 0 ? null : new PowerRange(r.Sum(x => x.Tests), r.Min(x => x.RunsNeededLow), r.Max(x => x.RunsNeededHigh), r.Min(x => x.RunsLow),
            r.Max(x => x.RunsHigh), r.Min(x => x.ExcessLow), r.Max(x => x.ExcessHigh));
    }
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
        var byC = Grid.Select(x => ClaimEvaluation.At(claims, x)).ToList();
        var tail = TailOf(claims, byC, _ => true);
        var atC = ClaimEvaluation.At(claims, c);
        return new ClaimsSummary(
            c,
            ClaimCounts.Of(atC),
            tail.CMin,
            tail.AtGridStart,
            tail.AtCMin,
            tail.SetBy,
            atC.Results.Where(r => r.Outcome == ClaimOutcome.Contradicted).ToList(),
            claims.Count,
            claims.Count(x => x.Readiness == Readiness.Reached),
            claims.Count(x => x.Readiness == Readiness.OutsideModel),
            byC.Select(Point).ToList());
    }

    /// <summary>
    /// Each group's claims (<paramref name="groupOf"/>: the group of a claim's cell) tested inside the family of all
    /// claims, as in <see cref="Analyze"/>: a group's contradictions, and its C_min, account for every group tried, and
    /// the largest C_min of the groups is the experiment's.
    /// </summary>
    public static IReadOnlyList<(TGroup Group, GroupRange Range)> ForGroups<TGroup>(IReadOnlyList<Claim> claims, Func<string, TGroup> groupOf, double c)
    {
        var byC = Grid.Select(x => ClaimEvaluation.At(claims, x, withPower: false)).ToList();
        var atC = ClaimEvaluation.At(claims, c);
        return claims.Select(x => groupOf(x.Cell)).Distinct().Select(g =>
        {
            bool Member(ClaimResult r) => EqualityComparer<TGroup>.Default.Equals(groupOf(r.Cell), g);
            var tail = TailOf(claims, byC, Member);
            int reached = claims.Count(x => x.Readiness == Readiness.Reached && EqualityComparer<TGroup>.Default.Equals(groupOf(x.Cell), g));
            return (g, new GroupRange(ClaimCounts.Of(atC.Only(Member)), tail.CMin, tail.AtGridStart, tail.AtCMin, tail.SetBy, reached));
        }).ToList();
    }

    private sealed record Tail(double? CMin, bool AtGridStart, ClaimCounts? AtCMin, IReadOnlyList<ClaimResult> SetBy);

    /// <summary>Where the claims of <paramref name="member"/> stop being contradicted along the grid, refined between grid points.</summary>
    private static Tail TailOf(IReadOnlyList<Claim> claims, List<ClaimsAt> byC, Func<ClaimResult, bool> member)
    {
        bool Contradicts(ClaimsAt at) => at.Results.Any(r => r.Outcome == ClaimOutcome.Contradicted && member(r));
        int last = byC.FindLastIndex(at => Contradicts(at));
        (double Below, double CMin)? edge = last < 0 || last == Grid.Count - 1 ? null : Refine(claims, Grid[last], Grid[last + 1], Contradicts);
        // At(…) lists the results in the claims' order.
        bool anyReached = Enumerable.Range(0, claims.Count).Any(i => claims[i].Readiness == Readiness.Reached && member(byC[0].Results[i]));
        double? cMin = !anyReached ? null : last < 0 ? Grid[0] : edge?.CMin;
        var setBy = edge is { } e
            ? ClaimEvaluation.At(claims, e.Below, withPower: false).Only(member).Results.Where(r => r.Outcome == ClaimOutcome.Contradicted).ToList()
            : [];
        return new Tail(cMin, anyReached && last < 0, cMin is { } m ? ClaimCounts.Of(ClaimEvaluation.At(claims, m).Only(member)) : null, setBy);
    }

    private static CPoint Point(ClaimsAt at)
    {
        var needs = at.Results.Where(r => r.Power is not null && r.Claim is ClaimKind.CleanBound or ClaimKind.RobustBound).Select(r => r.Power!);
        return new CPoint(at.C, at.Tested, at.Contradicted, at.Count(ClaimOutcome.Untestable), at.Count(ClaimOutcome.Vacuous), at.Count(ClaimOutcome.NotReached),
            PowerRange.Of(needs));
    }

    /// <summary>
    /// Bisection in log C between a contradicted <paramref name="lo"/> and a contradiction-free
    /// <paramref name="hi"/>: the two sides of the switch, within 10⁻⁹ (relative) of each other.
    /// </summary>
    private static (double Below, double CMin) Refine(IReadOnlyList<Claim> claims, double lo, double hi, Func<ClaimsAt, bool> contradicts)
    {
        for (int i = 0; i < 40 && hi / lo > 1 + 1e-9; i++)
        {
            double mid = Math.Sqrt(lo * hi);
            if (contradicts(ClaimEvaluation.At(claims, mid, withPower: false))) lo = mid; else hi = mid;
        }
        return (lo, hi);
    }
}
