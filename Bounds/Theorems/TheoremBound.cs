namespace Verify.Bounds.Theorems;

/// <summary>
/// An upper bound on a test error evaluated at the user's C. <see cref="Value"/> is null when the
/// theorem gives no bound (with <see cref="Reason"/>). <see cref="HypothesesHold"/> says whether the
/// hypotheses hold at that C; the formula is shown either way, since C is the user's guess.
/// </summary>
public sealed record TheoremBound(double? Value, bool HypothesesHold, string? Reason, double C, Provenance Provenance);
