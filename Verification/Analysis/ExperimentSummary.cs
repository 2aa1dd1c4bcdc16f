using Verify.Verification.Results;

namespace Verify.Verification.Analysis;

/// <summary>
/// Everything a report shows about one experiment: the comparison of theory and measurement per
/// cell, the fitted phase boundaries, the verdicts, and what produced the numbers. Reports are pure
/// functions of this record (and so are results.json and results.csv).
/// </summary>
public sealed record ExperimentSummary(
    string Name,
    string Description,
    string? Notes,
    string Scale,
    string ConfigAsRun,
    ulong MasterSeed,
    int SeedsPerCell,
    double C,
    double Delta,
    double Epsilon,
    Tolerances Tolerances,
    RunEnvironment Environment,
    IReadOnlyList<CellSummary> Cells,
    IReadOnlyList<PhaseBoundaryFit> Fits,
    VerdictSummary Verdicts);

/// <summary>Tolerances of the verdicts (absolute, in error rate).</summary>
/// <param name="Benign">A measured error within this of β counts as benign; a predicted one likewise.</param>
/// <param name="Collapse">At α ≥ M the robust error must be at least 1/2 − this.</param>
public sealed record Tolerances(double Benign, double Collapse);

/// <summary>What produced the numbers.</summary>
public sealed record RunEnvironment(
    EnvironmentInfo Machine,
    string Version,
    IReadOnlyList<string> Precisions,
    IReadOnlyList<string> Modes,
    double WallSeconds,
    double ComputeSeconds,
    int Runs,
    int RunsReused,
    DateTimeOffset Generated);

/// <summary>A grid point (all settings but the seed) with its runs aggregated over seeds and the theory evaluated there.</summary>
public sealed record CellSummary(
    string Key,
    SortedDictionary<string, string> Settings,
    CellParameters Parameters,
    int Runs,
    int Diverged,
    Statistic CleanTest,
    Statistic RobustTest,
    Statistic CleanTestCleanLabels,
    Statistic RobustTestCleanLabels,
    Statistic RobustTrainLoss,
    double InterpolationRate,
    CellTheory Theory,
    IReadOnlyList<Verdict> Verdicts,
    MeanCurve Curve);

/// <summary>The cell's parameters in the paper's notation (M and d are NaN for data without them).</summary>
/// <param name="NoiseScale">1 for Gaussian data (already in units of σ); for real data σ̂, the within-class
/// per-coordinate spread: the theory is evaluated at M̂/σ̂ and α/σ̂ (Mu and Alpha stay in input units).</param>
public sealed record CellParameters(string Data, int N, double D, int Width, double Mu, double Alpha, double Beta, double NoiseScale = 1)
{
    /// <summary>α/M (0 when α = 0; +∞ when M = 0 &lt; α).</summary>
    public double AlphaOverMu => Alpha == 0 ? 0 : Alpha / Mu;
}

/// <summary>Mean, spread and a 95% interval of a metric over a cell's seeds.</summary>
/// <param name="Low95">95% interval of the mean: Student t over seeds when there are ≥ 2, else the run's Wilson interval.</param>
public sealed record Statistic(int Count, double Mean, double Sd, double Min, double Max, double Low95, double High95);

/// <summary>
/// The theory at a cell, from the Bounds library. Bounds at C are RECONSTRUCTED and use the
/// experiment's C; "C needed" is the smallest C at which that bound covers the measured mean.
/// </summary>
public sealed record CellTheory(
    double CStar,
    string BindingAssumption,
    IReadOnlyDictionary<string, double> AssumptionCStar,
    bool HypothesesHoldAtC,
    double? CleanBoundAtC,
    double? RobustBoundAtC,
    string? RobustBoundReason,
    double CleanCNeeded,
    double RobustCNeeded,
    bool Collapse,
    double RobustLowerAnyClassifier,
    double BayesClean,
    double BestRobust,
    double LinearRobust,
    double HeuristicClean,
    double HeuristicRobust,
    double HeuristicCleanLabelClean,
    double HeuristicCleanLabelRobust,
    bool Gaussian);

public enum Outcome { Pass, Fail, NotApplicable }

/// <summary>One verdict at one cell, with the numbers behind it.</summary>
/// <param name="Kind">interpolates, benign-clean, benign-robust, collapse, bound-clean, bound-robust.</param>
public sealed record Verdict(string Kind, Outcome Outcome, string Detail);

/// <summary>The mean training curve over a cell's seeds.</summary>
public sealed record MeanCurve(int[] Iteration, double[] RobustLoss, double[] RobustError);

/// <summary>
/// A phase boundary fitted across the grid: for each M, the d at which the measured error crosses
/// β + ε (log-linear interpolation between grid points), then least squares of log d on log M.
/// HeuristicSlope fits the HEURISTIC boundary d(M) at the same M: the slope a finite grid should show.
/// </summary>
public sealed record PhaseBoundaryFit(
    string Metric,
    double AlphaOverMu,
    IReadOnlyList<BoundaryPoint> Points,
    double Slope,
    double SlopeLow95,
    double SlopeHigh95,
    double Intercept,
    double TheorySlope,
    string? Note,
    double HeuristicSlope = double.NaN);

public sealed record BoundaryPoint(double Mu, double D);

/// <summary>Counts of verdicts by kind and outcome, and the sentences at the top of a report.</summary>
public sealed record VerdictSummary(IReadOnlyList<VerdictCount> Counts, IReadOnlyList<string> Headlines);

public sealed record VerdictCount(string Kind, int Pass, int Fail, int NotApplicable);
