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
    /// <summary>In scope and tested: the measurement is not significantly beyond the claim.</summary>
    [JsonStringEnumMemberName("upheld")] Upheld,
    /// <summary>In scope and tested: the measurement is significantly beyond the claim (Holm, family-wise 5%).</summary>
    [JsonStringEnumMemberName("contradicted")] Contradicted,
    /// <summary>
    /// In scope and tested, and the robust error's bracket straddles the claim: the attack's lower end does not
    /// contradict it, but the certificate's upper end is significantly beyond it, so the true error may be either side.
    /// </summary>
    [JsonStringEnumMemberName("unresolved")] Unresolved,
    /// <summary>In scope, but the runs did not reach the state the claim describes by the last iteration (the loss still falls).</summary>
    [JsonStringEnumMemberName("not-reached")] NotReached,
    /// <summary>The claim's hypotheses fail at this C: the theorem says nothing here.</summary>
    [JsonStringEnumMemberName("outside-hypotheses")] OutsideHypotheses,
    /// <summary>The data is not the theorem's model (not a Gaussian mixture).</summary>
    [JsonStringEnumMemberName("outside-model")] OutsideModel,
}

/// <summary>Whether a claim can be tested at all, whatever C.</summary>
internal enum Readiness { Testable, NotReached, OutsideModel }

/// <summary>
/// One claim of a theorem at one cell, as a function of the unknown constant C: it is in scope for
/// C ≤ <see cref="CStar"/> (+∞ when its hypotheses do not involve C); its bound may depend on C; the
/// test gives a one-sided p-value for "the measurement is beyond the claim".
/// </summary>
internal abstract record Claim(ClaimKind Kind, string Cell, double CStar, Readiness Readiness, string Detail)
{
    /// <summary>The measured quantity the claim is about (an error rate, or the fraction of runs that interpolate).</summary>
    public abstract double Measured { get; }

    /// <summary>The number the theorem asserts at C, if it asserts one.</summary>
    public abstract double? Bound(double c);

    /// <summary>One-sided p-value of the measurement against the claim at C: small when it is contradicted.</summary>
    public abstract double PValue(double c);

    /// <summary>
    /// Whether the end of the robust error's bracket that could still violate the claim is consistent with it
    /// (not significantly beyond, at the family-wise level): true unless a certificate shows the claim may fail.
    /// Only asked where <see cref="PValue"/> did not contradict the claim.
    /// </summary>
    public virtual bool Confirmed(double c) => true;

    /// <summary>In scope and testable at C: counted, and exposed to the multiple-testing correction.</summary>
    public bool TestedAt(double c) => Readiness == Readiness.Testable && c <= CStar;
}

/// <summary>
/// Theorem 3.1(i). Each run interpolates with probability ≥ 1 − δ, so under the theorem the number of
/// runs that stopped short (their loss has stopped falling) is at most Bin(runs, δ): the p-value is
/// that binomial's upper tail at the observed count. Runs whose loss still falls are not counted
/// against the claim (they may yet interpolate).
/// </summary>
internal sealed record InterpolationClaim(string Cell, double CStar, Readiness Readiness, string Detail,
    int Runs, int Interpolating, int Stalled, double Delta)
    : Claim(ClaimKind.Interpolation, Cell, CStar, Readiness, Detail)
{
    public override double Measured => Runs == 0 ? double.NaN : (double)Interpolating / Runs;
    public override double? Bound(double c) => null;
    public override double PValue(double c) => OneSidedTest.BinomialUpperTail(Stalled, Runs, Delta);
}

/// <summary>
/// Theorem 3.1(ii)/(iii): an error bound b(C) = β + 2·exp(−n·M⁴/(C·d)) (RECONSTRUCTED form, in noise
/// units). The bound holds with probability ≥ 1 − δ per run, and an error is at most 1 otherwise, so
/// the seeds' expected error is at most b + δ·(1 − b): the measurement is tested against that threshold.
/// A robust error is a bracket: the attack's error (<see cref="Sample"/>, a lower end: the attack may miss)
/// contradicts the bound when significantly above it; the certified error (<see cref="Upper"/>, an upper end)
/// confirms it when not significantly above it. Without a certificate the claim rests on the attack alone.
/// </summary>
internal sealed record ErrorBoundClaim(ClaimKind Kind, string Cell, double CStar, Readiness Readiness, string Detail,
    ErrorSample Sample, Regime Regime, ErrorSample? Upper = null)
    : Claim(Kind, Cell, CStar, Readiness, Detail)
{
    public override bool Confirmed(double c) => Upper is null || OneSidedTest.Above(Upper, Threshold(c)) > ClaimEvaluation.FamilyWiseLevel;

    public override double Measured => Sample.Mean;
    public override double? Bound(double c) => Regime.Beta + Theorem31.Excess(Regime with { C = c });
    public double Threshold(double c)
    {
        double b = Math.Min(1, Bound(c)!.Value); // an error rate is at most 1 whatever the formula gives
        return b + Regime.Delta * (1 - b);
    }
    public override double PValue(double c) => OneSidedTest.Above(Sample, Threshold(c));
}

/// <summary>
/// Theorem 3.2: at α ≥ M the robust error of any classifier is ≥ 1/2, with no failure probability. The
/// bracket's ends swap roles: only the certified error (<see cref="Upper"/>) can show the true error below
/// 1/2 (a weak attack alone would), and the attack's error confirms the claim when not significantly below
/// 1/2. Without a certificate the attack's error is tested both ways, as before certification existed.
/// </summary>
internal sealed record CollapseClaim(string Cell, Readiness Readiness, string Detail, ErrorSample Sample, ErrorSample? Upper = null)
    : Claim(ClaimKind.Collapse, Cell, double.PositiveInfinity, Readiness, Detail)
{
    public override double Measured => Sample.Mean;
    public override double? Bound(double c) => 0.5;
    public override double PValue(double c) => OneSidedTest.Below(Upper ?? Sample, 0.5);
    public override bool Confirmed(double c) => OneSidedTest.Below(Sample, 0.5) > ClaimEvaluation.FamilyWiseLevel;
}

/// <summary>The names claims and outcomes have in JSON and in reports (one source: the JSON attributes).</summary>
internal static class ClaimNames
{
    /// <summary>In scope and tested at that C: upheld, contradicted or unresolved.</summary>
    public static bool Tested(this ClaimOutcome outcome) => outcome is ClaimOutcome.Upheld or ClaimOutcome.Contradicted or ClaimOutcome.Unresolved;

    public static string Name(this ClaimKind kind) => Of(kind);
    public static string Name(this ClaimOutcome outcome) => Of(outcome);

    private static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
        => typeof(TEnum).GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? value.ToString();
}
