namespace Verify.Bounds.Assumptions;

/// <summary>
/// One hypothesis of Theorem 3.1 evaluated for a regime: lhs ≥ rhs (or ≤ for A4 and R), the largest
/// constant C* for which it still holds (+∞ when it holds for every C) and whether it holds at the
/// regime's C. Because C* is monotone, "holds at C" is exactly "C ≤ C*".
/// </summary>
public sealed record AssumptionCheck(
    string Id,
    string Expression,
    string Meaning,
    double Lhs,
    double Rhs,
    double CStar,
    bool Holds,
    Provenance Provenance);

/// <summary>A hypothesis that the source states only in words (no formula to evaluate).</summary>
public sealed record UnquantifiedAssumption(string Id, string Statement, Provenance Provenance);
