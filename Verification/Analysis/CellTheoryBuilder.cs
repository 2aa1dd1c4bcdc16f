using Verify.Bounds;
using Verify.Verification.Cells;

namespace Verify.Verification.Analysis;

/// <summary>Evaluates the Bounds library at a cell (in noise units) and inverts the RECONSTRUCTED bound for "C needed".</summary>
internal static class CellTheoryBuilder
{
    public static CellTheory At(CellParameters p, double c, double delta, double epsilon, double measuredClean, double measuredRobust)
    {
        if (!p.HasTheory) return CellTheory.Unknown(p.IsGaussian);
        var a = p.Analysis(c, delta, epsilon);
        // Outside Gaussian noise with random flips the Gaussian references and the HEURISTIC are not derived: not shown (NaN).
        bool references = !p.IsGaussian || p.GaussianRandomFlips;
        return new CellTheory(
            new CellAssumptions(a.CStar, a.Binding.Id, a.Assumptions.ToDictionary(x => x.Id, x => x.CStar), a.CleanCStar, a.RobustCStar),
            new BoundsAtC(a.CleanBound.Value, a.RobustBound.Value, a.RobustBound.Reason,
                CNeeded(a.Regime, measuredClean), CNeeded(a.Regime, measuredRobust)),
            a.Collapse,
            references ? new ExactValues(a.Gaussian.BayesClean, a.Gaussian.RobustLower, a.Gaussian.LinearRobust) : ExactValues.Unknown,
            references ? new HeuristicValues(a.Heuristic.Clean, a.Heuristic.Robust, a.Heuristic.CleanLabelClean, a.Heuristic.CleanLabelRobust) : HeuristicValues.Unknown,
            p.IsGaussian,
            references ? null : p.OptimalClean());
    }

    /// <summary>
    /// Smallest C at which β + 2·exp(−n·M⁴/(C·d)) ≥ the measured error: 0 when the error is at most β
    /// (any C covers it), n·M⁴/(d·ln(2/(error − β))) otherwise.
    /// </summary>
    public static double CNeeded(Regime r, double measured)
    {
        if (!double.IsFinite(measured)) return double.NaN;
        double excess = measured - r.Beta;
        if (excess <= 0) return 0;
        return r.N * Math.Pow(r.Mu, 4) / (r.D * Math.Log(2 / excess));
    }
}
