namespace Verify.Bounds.Assumptions;

/// <summary>The hypotheses A1–A4 and R of Theorem 3.1 (docs/theory.md, "Hypotheses of Theorem 3.1").</summary>
public static class TheoremAssumptions
{
    /// <summary>The id of R, the hypothesis only the robust-error claim needs.</summary>
    public const string RobustId = "R";

    /// <summary>A1: n ≥ C·ln(1/δ). C* = n / ln(1/δ).</summary>
    public static AssumptionCheck A1(Regime r)
    {
        double k = Math.Log(1 / r.Delta);
        return AtLeast("A1", "n ≥ C·ln(1/δ)", "enough samples for the failure probability",
            r.N, k, r.C, Provenance.Reconstructed);
    }

    /// <summary>A2: d ≥ C·max(n·M², n²·(ln(n/δ) + α²)). C* = d / max(...).</summary>
    public static AssumptionCheck A2(Regime r) =>
        AtLeast("A2", "d ≥ C·max(n·M², n²·(ln(n/δ) + α²))", "high dimension relative to samples, signal and budget",
            r.D, A2Factor(r.N, r.Mu, r.Alpha, r.Delta), r.C, Provenance.Stated);

    /// <summary>A3: M² ≥ C·ln(n/δ). C* = M² / ln(n/δ).</summary>
    public static AssumptionCheck A3(Regime r) =>
        AtLeast("A3", "M² ≥ C·ln(n/δ)", "signal strong enough to be found",
            r.Mu * r.Mu, Math.Log(r.N / r.Delta), r.C, Provenance.Reconstructed);

    /// <summary>A4: β ≤ 1/C. C* = 1/β (+∞ for β = 0).</summary>
    public static AssumptionCheck A4(Regime r)
    {
        double cStar = r.Beta == 0 ? double.PositiveInfinity : 1 / r.Beta;
        return new AssumptionCheck("A4", "β ≤ 1/C", "label noise small", r.Beta, 1 / r.C, cStar, r.C <= cStar, Provenance.Stated);
    }

    /// <summary>R: α/M ≤ √(n·M²/d) / C, needed for the robust-error guarantee. C* = M·√(n·M²/d)/α (+∞ for α = 0).</summary>
    public static AssumptionCheck R(Regime r)
    {
        double sqrtRatio = Math.Sqrt(r.N * r.Mu * r.Mu / r.D);
        double lhs = r.Alpha == 0 ? 0 : r.Alpha / r.Mu; // α > 0, M = 0 gives +∞: fails for every C.
        double cStar = r.Alpha == 0 ? double.PositiveInfinity : r.Mu * sqrtRatio / r.Alpha;
        return new AssumptionCheck(RobustId, "α/M ≤ √(n·M²/d) / C", "attack budget small relative to the signal",
            lhs, sqrtRatio / r.C, cStar, r.C <= cStar, Provenance.Stated);
    }

    /// <summary>The evaluated hypotheses in the order of docs/theory.md.</summary>
    public static IReadOnlyList<AssumptionCheck> All(Regime r) => [A1(r), A2(r), A3(r), A4(r), R(r)];

    /// <summary>A1–A4, the hypotheses of the clean-error statement (R is needed only for the robust one).</summary>
    public static IReadOnlyList<AssumptionCheck> CleanHypotheses(Regime r) => [A1(r), A2(r), A3(r), A4(r)];

    /// <summary>A5 and A6: known only in words.</summary>
    public static IReadOnlyList<UnquantifiedAssumption> StatedInWordsOnly { get; } =
    [
        new("A5", "step size \"moderate\" (small enough); exact form unknown", Provenance.Stated),
        new("A6", "initialization scale \"moderate\" (small enough); exact form unknown", Provenance.Stated),
    ];

    /// <summary>max(n·M², n²·(ln(n/δ) + α²)): the factor multiplying C in A2.</summary>
    public static double A2Factor(int n, double mu, double alpha, double delta)
        => Math.Max(n * mu * mu, (double)n * n * (Math.Log(n / delta) + alpha * alpha));

    // lhs ≥ C·k  ⇔  C ≤ lhs / k (k > 0 in every use).
    private static AssumptionCheck AtLeast(string id, string expr, string meaning, double lhs, double k, double c, Provenance p)
    {
        double cStar = lhs / k;
        return new AssumptionCheck(id, expr, meaning, lhs, c * k, cStar, c <= cStar, p);
    }
}
