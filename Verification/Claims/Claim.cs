using System.Reflection;
using System.Text.Json.Serialization;
using Verify.Bounds;
using Verify.Bounds.Theorems;

namespace Verify.Verification.Claims;

/// <summary>What a theorem asserts at a cell.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimKind>))]
internal enum ClaimKind
{
    /// <summary>Theorem 3.1(i): adversarial training fits every noisy training label robustly. Needs A1–A4.</summary>
    [JsonStringEnumMemberName("interpolation")] Interpolation,
    /// <summary>Theorem 3.1(ii): clean test error ≤ β + 2·exp(−n·M⁴/(C·d)) (RECONSTRUCTED form). Needs A1–A4.</summary>
    [JsonStringEnumMemberName("clean-bound")] CleanBound,
    /// <summary>Theorem 3.1(iii): robust test error ≤ the same bound (RECONSTRUCTED form). Needs A1–A4 and R.</summary>
    [JsonStringEnumMemberName("robust-bound")] RobustBound,
    /// <summary>Theorem 3.2: at α ≥ M every classifier has robust error ≥ 1/2. Needs only α ≥ M (Gaussian data).</summary>
    [JsonStringEnumMemberName("collapse")] Collapse,
}

/// <summary>A claim's outcome at one C.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimOutcome>))]
internal enum ClaimOutcome
{
    /// <summary>Tested: not significantly beyond the claim, and the end of the bracket that confirms it is not significantly beyond either.</summary>
    [JsonStringEnumMemberName("upheld")] Upheld,
    /// <summary>Tested: significantly beyond the claim (per-run tests, Holm, family-wise 5%).</summary>
    [JsonStringEnumMemberName("contradicted")] Contradicted,
    /// <summary>
    /// Tested, and the bracket straddles the claim: the end that could contradict it lies on the claim's side,
    /// while the end that would confirm it is significantly beyond it, so the truth may be either side.
    /// </summary>
    [JsonStringEnumMemberName("unresolved")] Unresolved,
    /// <summary>
    /// Tested: the end that could contradict the claim lies beyond it, but not significantly, and the other end is
    /// significantly beyond it. The data lean against the claim without the power to contradict it.
    /// </summary>
    [JsonStringEnumMemberName("beyond-not-significant")] BeyondNotSignificant,
    /// <summary>In scope, but no outcome of these runs could contradict it in this family: too few runs, or a bound leaving less room than a run's test points can show.</summary>
    [JsonStringEnumMemberName("untestable")] Untestable,
    /// <summary>In the hypotheses, but the bound at this C is ≥ 1: it asserts nothing an error rate could violate.</summary>
    [JsonStringEnumMemberName("vacuous")] Vacuous,
    /// <summary>In scope, but the runs did not reach the state the claim describes by the last iteration (the loss still falls).</summary>
    [JsonStringEnumMemberName("not-reached")] NotReached,
    /// <summary>The claim's hypotheses fail at this C: the theorem says nothing here.</summary>
    [JsonStringEnumMemberName("outside-hypotheses")] OutsideHypotheses,
    /// <summary>The data is not the theorem's model (not a Gaussian mixture).</summary>
    [JsonStringEnumMemberName("outside-model")] OutsideModel,
}

/// <summary>Whether a claim's runs can speak to it at all, whatever C.</summary>
internal enum Readiness { Reached, NotReached, OutsideModel }

/// <summary>
/// One claim of a theorem at one cell, as a function of the unknown constant C: it is in scope for
/// C ≤ <see cref="CStar"/> (+∞ when its hypotheses do not involve C) while its bound is below 1, and at
/// each C its runs give <see cref="Evidence"/>: which of them are beyond the claim on their own points.
/// </summary>
internal abstract record Claim(ClaimKind Kind, string Cell, double CStar, Readiness Readiness, string Detail)
{
    /// <summary>The measured quantity the claim is about, for tables: the mean over runs of the end that could contradict it.</summary>
    public abstract double Measured { get; }

    /// <summary>That quantity run by run.</summary>
    public abstract IReadOnlyList<double> RunValues { get; }

    /// <summary>The number the theorem asserts at C, if it asserts one.</summary>
    public abstract double? Bound(double c);

    /// <summary>The bound is ≥ 1 at C: no error rate can exceed it.</summary>
    public virtual bool VacuousAt(double c) => false;

    /// <summary>The runs' evidence against the claim at C.</summary>
    public abstract Evidence EvidenceAt(double c);

    /// <summary>Its hypotheses hold at C, its runs reached the state it describes, and its bound says something.</summary>
    public bool InScopeAt(double c) => Readiness == Readiness.Reached && c <= CStar && !VacuousAt(c);
}

/// <summary>
/// Theorem 3.1(i). Each run interpolates with probability ≥ 1 − δ. A run that did not (the attack flips a
/// training point) and whose loss has stopped falling is beyond the claim, for certain: no test is needed,
/// so under the theorem their number is at most Bin(runs, δ). Runs whose loss still falls are not counted
/// against the claim (they may yet interpolate). The claim is confirmed by the certificate: a run counts as
/// interpolating on the confirming end only when every training point is certified robust.
/// </summary>
/// <param name="Fits">Each run's state at the end of training.</param>
internal sealed record InterpolationClaim(string Cell, double CStar, Readiness Readiness, string Detail, IReadOnlyList<RunFit> Fits, double Delta)
    : Claim(ClaimKind.Interpolation, Cell, CStar, Readiness, Detail)
{
    public override double Measured => Fits.Count == 0 ? double.NaN : Fits.Count(f => f.Interpolates()) / (double)Fits.Count;
    public override IReadOnlyList<double> RunValues => Fits.Select(f => f.Interpolates() ? 1.0 : 0.0).ToList();
    public override double? Bound(double c) => null;

    public override Evidence EvidenceAt(double c) => new(Delta,
        Fits.Select(f => f == RunFit.Stalled).ToArray(),
        Fits.Select(f => f is RunFit.Stalled or RunFit.Uncertified).ToArray(),
        Fits.Select(_ => true).ToArray(),
        () => Fits.Select(_ => 0.0).ToArray(),
        Leans: Fits.Any(f => f == RunFit.Stalled));
}

/// <summary>How a run ended, for the interpolation claim.</summary>
internal enum RunFit
{
    /// <summary>Robust training error 0 by the attack, and every training point certified robust.</summary>
    Certified,
    /// <summary>Robust training error 0 by the attack; some training point is not certified robust.</summary>
    Uncertified,
    /// <summary>Robust training error 0 by the attack; the run has no training certificate (written before it existed).</summary>
    AttackOnly,
    /// <summary>The attack flips a training point and the loss has stopped falling.</summary>
    Stalled,
    /// <summary>The attack flips a training point but the loss still falls.</summary>
    Falling,
}

internal static class RunFits
{
    public static bool Interpolates(this RunFit f) => f is RunFit.Certified or RunFit.Uncertified or RunFit.AttackOnly;
}

/// <summary>
/// Theorem 3.1(ii)/(iii): an error bound b(C) = β + 2·exp(−n·M⁴/(C·d)) (RECONSTRUCTED form, in noise units),
/// holding for each run with probability ≥ 1 − δ. A run is beyond when its error is significantly above b on its
/// own test points (<see cref="RunTest"/>); under the theorem that happens with probability ≤ δ + a₀ per run.
/// A robust error is a bracket: the attack's error (<see cref="Lower"/>, a lower end: the attack may miss)
/// contradicts the bound, the certified error (<see cref="Upper"/>, an upper end) confirms it. Without a
/// certificate both ends are the attack's error.
/// </summary>
internal sealed record ErrorBoundClaim(ClaimKind Kind, string Cell, double CStar, Readiness Readiness, string Detail,
    RunErrors Lower, Regime Regime, RunErrors? Upper = null)
    : Claim(Kind, Cell, CStar, Readiness, Detail)
{
    public override double Measured => Lower.Mean;
    public override IReadOnlyList<double> RunValues => Lower.Rates;
    public override double? Bound(double c) => Regime.Beta + Theorem31.Excess(Regime with { C = c });
    public override bool VacuousAt(double c) => !(Bound(c) < 1);

    public override Evidence EvidenceAt(double c)
        => Evidence.Of(Lower, Upper ?? Lower, Bound(c)!.Value, Side.Above, Regime.Delta + RunTest.RunLevel);
}

/// <summary>
/// Theorem 3.2: at α ≥ M the robust error of any classifier is ≥ 1/2, with no failure probability, so a run is
/// beyond with probability ≤ a₀ under it. The bracket's ends swap roles: only the certified error
/// (<see cref="Upper"/>) can show the true error below 1/2 (a weak attack alone would), and the attack's error
/// confirms the claim. Without a certificate both ends are the attack's error.
/// <paramref name="Level"/> is 1/2 where the flips are independent of x; where they are a function of x (margin, confident,
/// spurious) the argument gives 1/2 for the clean labels only, and for the noisy labels, within TV β of them, 1/2 − β
/// (docs/theory.md, "Which references apply").
/// </summary>
internal sealed record CollapseClaim(string Cell, Readiness Readiness, string Detail, RunErrors Attacked, RunErrors? Upper = null, double Level = CollapseClaim.Half)
    : Claim(ClaimKind.Collapse, Cell, double.PositiveInfinity, Readiness, Detail)
{
    public const double Half = 0.5;
    public override double Measured => (Upper ?? Attacked).Mean;
    public override IReadOnlyList<double> RunValues => (Upper ?? Attacked).Rates;
    public override double? Bound(double c) => Level;
    public override Evidence EvidenceAt(double c) => Evidence.Of(Upper ?? Attacked, Attacked, Level, Side.Below, RunTest.RunLevel);
}

/// <summary>The names claims and outcomes have in JSON and in reports (one source: the JSON attributes).</summary>
internal static class ClaimNames
{
    /// <summary>In the Holm family at that C: upheld, contradicted, unresolved or beyond-not-significant.</summary>
    public static bool Tested(this ClaimOutcome outcome)
        => outcome is ClaimOutcome.Upheld or ClaimOutcome.Contradicted or ClaimOutcome.Unresolved or ClaimOutcome.BeyondNotSignificant;

    /// <summary>Hypotheses hold, runs reached the state, bound below 1: tested or untestable.</summary>
    public static bool InScope(this ClaimOutcome outcome) => outcome.Tested() || outcome == ClaimOutcome.Untestable;

    public static string Name(this ClaimKind kind) => Of(kind);
    public static string Name(this ClaimOutcome outcome) => Of(outcome);

    private static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
        => typeof(TEnum).GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString();
}
