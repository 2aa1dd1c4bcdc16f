using Verify.Bounds.Assumptions;

namespace Verify.Bounds.Theorems;

/// <summary>
/// Theorem 3.1 in its RECONSTRUCTED exact form (the paper's shape is STATED, its constant unknown):
/// clean ≤ β + 2·exp(−n·M⁴/(C·d)); robust ≤ the same, only when R holds.
/// </summary>
public static class Theorem31
{
    /// <summary>The exponentially small excess 2·exp(−n·M⁴/(C·d)).</summary>
    public static double Excess(Regime r) => 2 * Math.Exp(-r.N * Math.Pow(r.Mu, 4) / (r.C * r.D));

    public static TheoremBound CleanBound(Regime r)
    {
        var failing = TheoremAssumptions.CleanHypotheses(r).Where(a => !a.Holds).Select(a => a.Id).ToList();
        string? reason = failing.Count == 0 ? null : $"hypotheses fail at C = {r.C:G4}: {string.Join(", ", failing)}";
        return new TheoremBound(r.Beta + Excess(r), failing.Count == 0, reason, r.C, Provenance.Reconstructed);
    }

    public static TheoremBound RobustBound(Regime r)
    {
        var rCheck = TheoremAssumptions.R(r);
        if (!rCheck.Holds)
            return new TheoremBound(null, false,
                $"no robust guarantee: R fails at C = {r.C:G4} (α/M = {rCheck.Lhs:G4} > √(n·M²/d)/C = {rCheck.Rhs:G4})",
                r.C, Provenance.Reconstructed);
        return CleanBound(r);
    }
}
