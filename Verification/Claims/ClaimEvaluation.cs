using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Claims;

/// <summary>The outcome of one claim at one C, with the numbers behind it.</summary>
/// <param name="Bound">What the theorem asserts at C (an error bound, 1/2 for the collapse; null for interpolation).</param>
/// <param name="Measured">The mean over runs of the end of the bracket that could contradict the claim (interpolation: the fraction of runs that interpolate).</param>
/// <param name="RunValues">That measurement run by run.</param>
/// <param name="RunsBeyond">Runs beyond the claim on their own points at C (null when the claim is not in scope there).</param>
/// <param name="PValue">P(Bin(runs, δ + a₀) ≥ runs beyond), or with the claim's own per-run chance (null when not tested at C).</param>
/// <param name="PAdjusted">Holm-adjusted over the claims tested at C; contradicted when ≤ the family-wise level.</param>
/// <param name="Power">What a contradiction needs in this family (null when not tested: then it is untestable or out of scope).</param>
internal sealed record ClaimResult(string Cell, ClaimKind Claim, ClaimOutcome Outcome, double CStar, double? Bound, double Measured,
    IReadOnlyList<double> RunValues, int? RunsBeyond, double? PValue, double? PAdjusted, Power? Power, string Detail);

/// <summary>The claims at one C: each claim's outcome, and the size of the Holm family they were tested in.</summary>
internal sealed record ClaimsAt(double C, IReadOnlyList<ClaimResult> Results, int Family)
{
    public int Count(ClaimOutcome outcome) => Results.Count(r => r.Outcome == outcome);
    public int Tested => Results.Count(r => r.Outcome.Tested());
    public int Contradicted => Count(ClaimOutcome.Contradicted);

    /// <summary>The results of <paramref name="member"/> only, still counted as tested in the whole family.</summary>
    public ClaimsAt Only(Func<ClaimResult, bool> member) => this with { Results = Results.Where(member).ToList() };
}

/// <summary>
/// Claims at one C. In scope are the claims whose hypotheses hold at C, whose runs reached the state they describe
/// and whose bound is below 1 (a bound ≥ 1 is <see cref="ClaimOutcome.Vacuous"/>). A claim in scope that no outcome of
/// its runs could contradict in a family of all claims in scope is <see cref="ClaimOutcome.Untestable"/>; the others
/// are tested together, Holm-corrected at family-wise level 5%, at both ends of their brackets: the end that could
/// contradict a claim decides whether it is contradicted, the end that would confirm it whether it is upheld.
/// Leaving untestable claims out of the family is decided by the design (runs, test points, bounds), never by the
/// errors measured, so the family-wise level holds.
/// </summary>
internal static class ClaimEvaluation
{
    public const double FamilyWiseLevel = 0.05;

    /// <summary>The outcome of every claim at <paramref name="c"/>, in the order given.</summary>
    /// <param name="withPower">Also say what a contradiction would need (a search per run; the C_min bisection does without).</param>
    public static ClaimsAt At(IReadOnlyList<Claim> claims, double c, bool withPower = true)
    {
        var inScope = Enumerable.Range(0, claims.Count).Where(i => claims[i].InScopeAt(c)).ToList();
        var evidence = inScope.ToDictionary(i => i, i => claims[i].EvidenceAt(c));
        double alone = FamilyWiseLevel / Math.Max(1, inScope.Count);
        var family = inScope.Where(i => evidence[i].CanReach(alone)).ToList();
        var slot = family.Select((i, j) => (i, j)).ToDictionary(t => t.i, t => t.j);
        var p = family.Select(i => evidence[i].PValue).ToArray();
        var adjusted = Holm.Adjust(p);
        var adjustedConfirming = Holm.Adjust(family.Select(i => evidence[i].PConfirming).ToArray());
        double level = FamilyWiseLevel / Math.Max(1, family.Count);

        var results = new ClaimResult[claims.Count];
        for (int i = 0; i < claims.Count; i++)
        {
            var x = claims[i];
            ClaimOutcome outcome;
            double? pv = null, pa = null;
            int? beyond = null;
            Power? power = null;
            if (x.Readiness == Readiness.OutsideModel) outcome = ClaimOutcome.OutsideModel;
            else if (!(c <= x.CStar)) outcome = ClaimOutcome.OutsideHypotheses;
            else if (x.Readiness == Readiness.NotReached) outcome = ClaimOutcome.NotReached;
            else if (x.VacuousAt(c)) outcome = ClaimOutcome.Vacuous;
            else if (!slot.TryGetValue(i, out int j))
            {
                outcome = ClaimOutcome.Untestable;
                beyond = evidence[i].RunsBeyond;
            }
            else
            {
                var e = evidence[i];
                (pv, pa, beyond) = (p[j], adjusted[j], e.RunsBeyond);
                if (withPower) power = e.PowerAt(level);
                outcome = adjusted[j] <= FamilyWiseLevel ? ClaimOutcome.Contradicted
                    : adjustedConfirming[j] > FamilyWiseLevel ? ClaimOutcome.Upheld
                    : e.Leans ? ClaimOutcome.BeyondNotSignificant : ClaimOutcome.Unresolved;
            }
            string detail = outcome switch
            {
                ClaimOutcome.Vacuous => $"{x.Detail}; the bound at C = {Fmt.Num(c, 3)} is {Fmt.Num(x.Bound(c) ?? double.NaN, 3)} ≥ 1: vacuous",
                ClaimOutcome.Untestable => $"{x.Detail}; untestable: {evidence[i].Runs} runs cannot contradict it among the {inScope.Count} claims in scope",
                ClaimOutcome.BeyondNotSignificant => $"{x.Detail}; {Ends(x.Kind).Contradicting} is beyond the claim but not significantly, and {Ends(x.Kind).Confirming} is significantly beyond it",
                ClaimOutcome.Unresolved => $"{x.Detail}; unresolved: {Ends(x.Kind).Contradicting} is on the claim's side but {Ends(x.Kind).Confirming} is significantly beyond it",
                _ => x.Detail,
            };
            results[i] = new ClaimResult(x.Cell, x.Kind, outcome, x.CStar, x.Bound(c), x.Measured, x.RunValues, beyond, pv, pa, power, detail);
        }
        return new ClaimsAt(c, results, family.Count);
    }

    /// <summary>What the two ends of a claim's bracket are called.</summary>
    private static (string Contradicting, string Confirming) Ends(ClaimKind kind) => kind switch
    {
        ClaimKind.Interpolation => ("the attack (runs stalled short of fitting)", "the certificate (runs not certified to fit every training point)"),
        ClaimKind.Collapse => ("the certified error (upper end)", "the attacked error (lower end)"),
        _ => ("the attacked error (lower end)", "the certified error (upper end)"),
    };
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
