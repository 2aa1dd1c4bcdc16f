using Verify.Verification.Cells;
namespace Verify.Verification.Analysis;

/// <summary>
/// The HEURISTIC prediction beside the measurement at one Gaussian cell. The prediction describes an
/// interpolating network, so it is compared only where every run interpolates. "Within" means the
/// 95% interval of the measured mean meets [prediction − tol, prediction + tol].
/// </summary>
/// <param name="RobustDeviation">NaN at α = 0 (the robust error is the clean one).</param>
internal sealed record HeuristicComparison(bool Interpolating, double CleanDeviation, double RobustDeviation, bool CleanWithin, bool RobustWithin);

/// <summary>
/// "Benign where predicted": cells whose runs interpolate and whose HEURISTIC error is within tol of β;
/// of those, how many are measured benign (95% interval reaches β + tol) and how many are clearly not
/// (interval entirely above β + tol).
/// </summary>
internal sealed record BenignWherePredicted(int Predicted, int Benign, int ClearlyNot);

/// <summary>How the HEURISTIC curves compare with the measurements. JSON: "heuristic" in results.json.</summary>
/// <param name="Cells">Gaussian cells compared (every run interpolates).</param>
/// <param name="CleanMeanAbsoluteDeviation">Mean over those cells of |measured − predicted| clean error.</param>
/// <param name="RobustCells">Those of them with α &gt; 0.</param>
internal sealed record HeuristicAgreement(
    double Tolerance,
    int Cells,
    int GaussianCells,
    double CleanMeanAbsoluteDeviation,
    int CleanWithin,
    int RobustCells,
    double RobustMeanAbsoluteDeviation,
    int RobustWithin,
    BenignWherePredicted BenignClean,
    BenignWherePredicted BenignRobust)
{
    /// <summary>The comparison at a Gaussian cell whose theory is known (the prediction is <see cref="CellTheory.HeuristicClean"/> and <see cref="CellTheory.HeuristicRobust"/>).</summary>
    public static HeuristicComparison? Compare(CellParameters p, CellTheory t, Statistic clean, Statistic robust, bool interpolating, double tol)
    {
        if (!p.GaussianRandomFlips || !p.HasTheory || clean.Count == 0) return null;
        bool Within(Statistic s, double pred) => s.Low95 <= pred + tol && s.High95 >= pred - tol;
        bool attacked = p.Alpha > 0;
        return new HeuristicComparison(interpolating, clean.Mean - t.Heuristic.Clean, attacked ? robust.Mean - t.Heuristic.Robust : double.NaN,
            Within(clean, t.Heuristic.Clean), attacked && Within(robust, t.Heuristic.Robust));
    }

    public static HeuristicAgreement Summarize(IReadOnlyList<CellSummary> cells, double tol)
    {
        var gaussian = cells.Where(c => c.Findings.Heuristic is not null).ToList();
        var compared = gaussian.Where(c => c.Findings.Heuristic!.Interpolating).ToList();
        var robust = compared.Where(c => c.Parameters.Alpha > 0).ToList();
        double Mad(IEnumerable<double> v) => v.Select(Math.Abs).DefaultIfEmpty(double.NaN).Average();
        BenignWherePredicted Benign(IEnumerable<CellSummary> cs, Func<CellSummary, double> predicted, Func<CellSummary, Statistic> measured)
        {
            var predictedBenign = cs.Where(c => predicted(c) <= c.Parameters.Beta + tol).ToList();
            return new BenignWherePredicted(predictedBenign.Count,
                predictedBenign.Count(c => measured(c).Low95 <= c.Parameters.Beta + tol),
                predictedBenign.Count(c => measured(c).Low95 > c.Parameters.Beta + tol));
        }
        return new HeuristicAgreement(tol, compared.Count, gaussian.Count,
            Mad(compared.Select(c => c.Findings.Heuristic!.CleanDeviation)), compared.Count(c => c.Findings.Heuristic!.CleanWithin),
            robust.Count, Mad(robust.Select(c => c.Findings.Heuristic!.RobustDeviation)), robust.Count(c => c.Findings.Heuristic!.RobustWithin),
            Benign(compared, c => c.Theory.Heuristic.Clean, c => c.Measured.CleanTest),
            Benign(robust, c => c.Theory.Heuristic.Robust, c => c.Measured.RobustTest));
    }
}
