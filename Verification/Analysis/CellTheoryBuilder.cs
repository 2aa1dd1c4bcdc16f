using Verify.Bounds;

namespace Verify.Verification.Analysis;

/// <summary>Evaluates the Bounds library at a cell and inverts the RECONSTRUCTED bound for "C needed".</summary>
public static class CellTheoryBuilder
{
    public static CellTheory At(CellParameters p, double c, double delta, double epsilon, double measuredClean, double measuredRobust)
    {
        // Real data: the theory's units are those of the noise (M̂/σ̂, α/σ̂).
        p = p with { Mu = p.Mu / p.NoiseScale, Alpha = p.Alpha / p.NoiseScale, NoiseScale = 1 };
        bool known = double.IsFinite(p.Mu) && double.IsFinite(p.D) && p.Mu >= 0 && p.D >= 1 && p.Beta < 0.5;
        if (!known)
            return new CellTheory(double.NaN, "", new Dictionary<string, double>(), false, null, null, "M unknown", double.NaN, double.NaN,
                false, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, p.Data == "gaussian");
        var a = RegimeAnalysis.Of(new Regime(p.N, Math.Round(p.D), p.Width, p.Mu, p.Alpha, p.Beta, delta, c), epsilon);
        return new CellTheory(
            a.CStar,
            a.Binding.Id,
            a.Assumptions.ToDictionary(x => x.Id, x => x.CStar),
            a.AllHold,
            a.CleanBound.Value,
            a.RobustBound.Value,
            a.RobustBound.Reason,
            CNeeded(p, measuredClean),
            CNeeded(p, measuredRobust),
            a.Collapse,
            a.RobustLowerAnyClassifier,
            a.Gaussian.BayesClean,
            a.Gaussian.RobustLower,
            a.Gaussian.LinearRobust,
            a.Heuristic.Clean,
            a.Heuristic.Robust,
            a.Heuristic.CleanLabelClean,
            a.Heuristic.CleanLabelRobust,
            p.Data == "gaussian");
    }

    /// <summary>
    /// Smallest C at which β + 2·exp(−n·M⁴/(C·d)) ≥ the measured error: 0 when the error is at most β
    /// (any C covers it), n·M⁴/(d·ln(2/(e − β))) otherwise.
    /// </summary>
    public static double CNeeded(CellParameters p, double measured)
    {
        if (!double.IsFinite(measured)) return double.NaN;
        double excess = measured - p.Beta;
        if (excess <= 0) return 0;
        return p.N * Math.Pow(p.Mu, 4) / (p.D * Math.Log(2 / excess));
    }
}
