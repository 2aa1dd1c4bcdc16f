using Verify.Verification.Cli;

namespace Verify.Verification.Analysis;

/// <summary>
/// The verdicts at a cell, each with a stated tolerance:
/// interpolates (every run reaches robust training error 0); benign-clean / benign-robust (where the
/// heuristic or the bound at C predicts an error within tol of β, the measured mean is within tol of β);
/// collapse (α ≥ M: robust error ≥ 1/2 − tol); bound-clean / bound-robust (where the hypotheses hold at
/// C, the measurement's 95% interval reaches below the RECONSTRUCTED bound at C).
/// </summary>
public static class Verdicts
{
    public static IReadOnlyList<Verdict> At(CellParameters p, Statistic clean, Statistic robust, double interpolation, CellTheory t, Tolerances tol)
    {
        var list = new List<Verdict>
        {
            interpolation >= 1
                ? new("interpolates", Outcome.Pass, "robust training error 0 in every run")
                : new("interpolates", Outcome.Fail, $"robust training error 0 in {Fmt.Num(100 * interpolation, 3)}% of runs"),
        };
        double floor = p.Beta + tol.Benign;

        bool predictedClean = (t.Gaussian && t.HeuristicClean <= floor) || (t.HypothesesHoldAtC && t.CleanBoundAtC <= floor);
        list.Add(Benign("benign-clean", predictedClean, clean, floor, t.Gaussian ? t.HeuristicClean : double.NaN));
        bool predictedRobust = p.Alpha > 0 && ((t.Gaussian && t.HeuristicRobust <= floor) || (t.HypothesesHoldAtC && t.RobustBoundAtC <= floor));
        list.Add(p.Alpha == 0
            ? new("benign-robust", Outcome.NotApplicable, "α = 0: robust error is the clean error")
            : Benign("benign-robust", predictedRobust, robust, floor, t.Gaussian ? t.HeuristicRobust : double.NaN));

        if (p.Alpha >= p.Mu && p.Mu >= 0 && p.Alpha > 0)
            list.Add(robust.Mean >= 0.5 - tol.Collapse
                ? new("collapse", Outcome.Pass, $"α ≥ M and robust error {Fmt.Num(robust.Mean)} ≥ 1/2 − {Fmt.Num(tol.Collapse)}")
                : new("collapse", Outcome.Fail, $"α ≥ M but robust error {Fmt.Num(robust.Mean)} < 1/2 − {Fmt.Num(tol.Collapse)}: the attack is too weak or the theorem is violated"));
        else list.Add(new("collapse", Outcome.NotApplicable, "α < M"));

        list.Add(Bound("bound-clean", t.HypothesesHoldAtC, t.CleanBoundAtC, clean, null));
        list.Add(Bound("bound-robust", t.HypothesesHoldAtC, t.RobustBoundAtC, robust, t.RobustBoundReason));
        return list;
    }

    private static Verdict Benign(string kind, bool predicted, Statistic measured, double floor, double heuristic)
    {
        string pred = double.IsFinite(heuristic) ? $" (heuristic {Fmt.Num(heuristic)})" : "";
        if (!predicted) return new(kind, Outcome.NotApplicable, $"not predicted benign{pred}; measured {Fmt.Num(measured.Mean)}");
        return measured.Mean <= floor
            ? new(kind, Outcome.Pass, $"measured {Fmt.Num(measured.Mean)} ≤ β + tol = {Fmt.Num(floor)}{pred}")
            : new(kind, Outcome.Fail, $"predicted benign{pred} but measured {Fmt.Num(measured.Mean)} > β + tol = {Fmt.Num(floor)}");
    }

    private static Verdict Bound(string kind, bool hold, double? bound, Statistic measured, string? reason)
    {
        if (!hold) return new(kind, Outcome.NotApplicable, "hypotheses fail at this C");
        if (bound is null) return new(kind, Outcome.NotApplicable, reason ?? "no bound");
        return measured.Low95 <= bound
            ? new(kind, Outcome.Pass, $"measured {Fmt.Num(measured.Mean)} (95% low {Fmt.Num(measured.Low95)}) ≤ bound {Fmt.Num(bound)}")
            : new(kind, Outcome.Fail, $"measured {Fmt.Num(measured.Mean)} (95% low {Fmt.Num(measured.Low95)}) > bound {Fmt.Num(bound)}");
    }
}
