using Verify.Simulation.Settings;
using Verify.Verification.Claims;
using Verify.Verification.Results;
using Verify.Verification.Settings;
using Verify.Verification.Cells;

namespace Verify.Verification.Analysis;

/// <summary>
/// Everything a report shows about one experiment: per cell the measurements, the theory evaluated
/// there, the theorems' claims and the sanity checks; across cells the claims as a function of the
/// unknown C, the HEURISTIC agreement, the observations, the fitted phase boundaries, and what
/// produced the numbers. Reports are pure functions of this record (and so are results.json and results.csv).
/// </summary>
/// <param name="Claims">The theorems' claims tested across C (results.json "claims").</param>
/// <param name="Sanity">The EXACT lower-bound checks (results.json "sanity").</param>
/// <param name="Heuristic">Agreement with the HEURISTIC prediction: not a claim of the theorem.</param>
/// <param name="Mnist">MNIST against the Gaussian HEURISTIC curve, by normalization and β (empty without MNIST cells).</param>
/// <param name="Certification">How tightly the robust errors are known: the brackets [attacked, certified].</param>
/// <param name="Observations">What the measurements show where no claim applies.</param>
/// <param name="Headlines">The lines at the top of the report, the first being the theorems' outcome.</param>
internal sealed record ExperimentSummary(
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
    ClaimsSummary Claims,
    SanitySummary Sanity,
    HeuristicAgreement Heuristic,
    MnistComparison Mnist,
    CertificationSummary Certification,
    IReadOnlyList<string> Observations,
    IReadOnlyList<string> Headlines)
{
    /// <summary>The claims at C counted by kind, and the headlines (results.json "verdicts", kept for earlier readers).</summary>
    public VerdictSummary Verdicts => new(
        Claims.AtC.ByKind.Select(k => new VerdictCount(k.Claim.Name(), k.Upheld, k.Contradicted, k.Total - k.Upheld - k.Contradicted)).ToList(),
        Headlines);
}

/// <summary>Tolerances of the comparisons (absolute, in error rate).</summary>
/// <param name="Benign">How far from the HEURISTIC prediction (and from β, for "benign") a measurement may be and still agree.</param>
internal sealed record Tolerances(double Benign);

/// <summary>What produced the numbers.</summary>
internal sealed record RunEnvironment(
    EnvironmentInfo Machine,
    string Version,
    IReadOnlyList<string> Precisions,
    IReadOnlyList<string> Modes,
    double WallSeconds,
    double ComputeSeconds,
    int Runs,
    int RunsReused,
    DateTimeOffset Generated)
{
    /// <summary>The environment of a set of runs: the machine of the first, every version, precision and mode among them.</summary>
    public static RunEnvironment Of(IReadOnlyList<RunRecord> runs, int reused, double wallSeconds) => new(
        runs.FirstOrDefault()?.Provenance.Environment ?? EnvironmentInfo.Current(Simulation.Kernels.Backend.Describe(Simulation.Kernels.Backend.Default)),
        runs.Select(r => r.Provenance.Version).Distinct().DefaultIfEmpty(Simulation.Runs.Simulator.Version).Aggregate((a, b) => a + ", " + b),
        runs.Select(r => r.Provenance.Precision).Distinct().Order().ToList(),
        runs.Select(r => r.Provenance.Mode).Distinct().Order().ToList(),
        wallSeconds,
        runs.Sum(r => r.Timings.SetupSeconds + r.Timings.TrainingSeconds + r.Timings.EvaluationSeconds),
        runs.Count,
        reused,
        DateTimeOffset.UtcNow);
}

/// <summary>A grid point (all settings but the seed) with its runs aggregated over seeds, the theory evaluated there and the claims at the experiment's C.</summary>
/// <param name="Claims">Every claim of the theorems at this cell, with its outcome at the experiment's C.</param>
/// <param name="Sanity">The EXACT lower-bound checks (Gaussian cells).</param>
/// <param name="Heuristic">The HEURISTIC prediction beside the measurement (Gaussian cells).</param>
/// <param name="RobustTestCertified">The upper end of the robust test error (points not certified robust), when every run has one; RobustTest is the lower end.</param>
/// <param name="Undecided">Mean fraction of test points neither certified nor attacked (NaN without certificates).</param>
/// <param name="Conflicts">Test points both certified and attacked, over all runs: a bug whenever not 0.</param>
/// <param name="PlainUpper">Mean over seeds of the upper end with the plain bound alone (before slope optimization); NaN without certificates.</param>
/// <param name="InterpolationRate">Fraction of the cell's runs that interpolate under the evaluation attack (robust training error 0; a diverged run does not).</param>
/// <param name="CertifiedInterpolationRate">Fraction of the cell's runs certified to interpolate (every training point certified robust; a diverged run is not):
/// the lower end of the interpolation rate, whose upper end is <paramref name="InterpolationRate"/>. NaN when a finished run lacks the training certificate (written before training points were certified).</param>
internal sealed record CellSummary(
    string Key,
    RunSettings Settings,
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
    IReadOnlyList<ClaimResult> Claims,
    IReadOnlyList<SanityCheck> Sanity,
    HeuristicComparison? Heuristic,
    MeanCurve Curve,
    Statistic? RobustTestCertified = null,
    double Undecided = double.NaN,
    int Conflicts = 0,
    double PlainUpper = double.NaN,
    double CertifiedInterpolationRate = double.NaN)
{
    /// <summary>The claims as pass (upheld) / fail (contradicted) / not applicable (results.json's per-cell "verdicts", kept for earlier readers).</summary>
    public IReadOnlyList<Verdict> Verdicts => Claims.Select(c => new Verdict(c.Claim.Name(),
        c.Outcome switch { ClaimOutcome.Upheld => Outcome.Pass, ClaimOutcome.Contradicted => Outcome.Fail, _ => Outcome.NotApplicable },
        c.Outcome.Name() + ": " + c.Detail)).ToList();
}

/// <summary>Mean, spread and a 95% interval of a metric over a cell's seeds.</summary>
/// <param name="Low95">95% interval of the mean: Student t over seeds when there are ≥ 2, else the run's Wilson interval.</param>
internal sealed record Statistic(int Count, double Mean, double Sd, double Min, double Max, double Low95, double High95);

/// <summary>
/// The theory at a cell, from the Bounds library, in noise units. Bounds at C are RECONSTRUCTED and use
/// the experiment's C; "C needed" is the smallest C at which that bound covers the measured mean.
/// </summary>
/// <param name="CleanCStar">Largest C at which A1–A4 hold: Theorem 3.1's interpolation and clean-error claims apply for C ≤ this.</param>
/// <param name="RobustCStar">Largest C at which A1–A4 and R hold: the robust-error claim applies for C ≤ this.</param>
/// <param name="RobustLowerBound">EXACT lower bound on the robust error of any classifier (1/2 at α ≥ M); not attained for 0 &lt; α &lt; M when β &gt; 0.</param>
internal sealed record CellTheory(
    double CStar,
    string BindingAssumption,
    IReadOnlyDictionary<string, double> AssumptionCStar,
    double CleanCStar,
    double RobustCStar,
    double? CleanBoundAtC,
    double? RobustBoundAtC,
    string? RobustBoundReason,
    double CleanCNeeded,
    double RobustCNeeded,
    bool Collapse,
    double BayesClean,
    double RobustLowerBound,
    double LinearRobust,
    double HeuristicClean,
    double HeuristicRobust,
    double HeuristicCleanLabelClean,
    double HeuristicCleanLabelRobust,
    bool Gaussian)
{
    public static CellTheory Unknown(bool gaussian) => new(double.NaN, "", new Dictionary<string, double>(), double.NaN, double.NaN, null, null,
        "M unknown", double.NaN, double.NaN, false, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, gaussian);

    /// <summary>No C both satisfies A1–A4 here and lets the clean bound cover the measured mean.</summary>
    public bool CleanNeedsMoreThanAllowed => CleanCNeeded > CleanCStar;

    /// <summary>No C both satisfies A1–A4 and R here and lets the bound cover the measured robust mean.</summary>
    public bool RobustNeedsMoreThanAllowed => RobustCNeeded > RobustCStar;
}

internal enum Outcome { Pass, Fail, NotApplicable }

/// <summary>A claim at one cell as a pass/fail verdict.</summary>
/// <param name="Kind">The claim: interpolation, clean-bound, robust-bound, collapse.</param>
internal sealed record Verdict(string Kind, Outcome Outcome, string Detail);

/// <summary>The mean training curve over a cell's seeds.</summary>
internal sealed record MeanCurve(int[] Iteration, double[] RobustLoss, double[] RobustError);

/// <summary>
/// A phase boundary fitted across the grid: for each M, the d at which the measured error crosses
/// β + ε (log-linear interpolation between grid points), then least squares of log d on log M.
/// The slope's 95% interval follows <see cref="PooledSlopes"/> without brackets: a residual scatter common to all
/// of the report's fits (<see cref="Scatter"/>, τ in ln d, on
/// <see cref="DegreesOfFreedom"/> = <see cref="PooledPoints"/> − 2·<see cref="PooledFits"/>); NaN when fewer than 3
/// degrees of freedom remain. <see cref="OwnScatter"/> is this fit's own residual SD and <see cref="ExpectedScatter"/> the
/// one the common model expects of it: diagnostics only.
/// HeuristicSlope fits the HEURISTIC boundary d(M) at the same M: the slope a finite grid should show.
/// </summary>
internal sealed record PhaseBoundaryFit(
    string Metric,
    double AlphaOverMu,
    IReadOnlyList<BoundaryPoint> Points,
    double Slope,
    double SlopeLow95,
    double SlopeHigh95,
    double Intercept,
    double TheorySlope,
    string? Note,
    double HeuristicSlope = double.NaN,
    double SlopeStandardError = double.NaN,
    double OwnScatter = double.NaN,
    double ExpectedScatter = double.NaN,
    double Scatter = double.NaN,
    int DegreesOfFreedom = 0,
    int PooledFits = 0,
    int PooledPoints = 0)
{
    /// <summary>What the interval rests on, in words (the same for every fit of a report).</summary>
    public string IntervalBasis => PooledFit.Describe(PooledPoints, PooledFits, DegreesOfFreedom, Scatter, "fit", "fits", brackets: false);
}

/// <summary>A measured crossing: at signal M, the interpolated d, between the grid values DLow and DHigh of d whose means lie on either side (recorded, not used as a bracket).</summary>
internal sealed record BoundaryPoint(double Mu, double D, double DLow, double DHigh);

/// <summary>Counts of claims at C by kind (pass = upheld, fail = contradicted), and the report's headlines.</summary>
internal sealed record VerdictSummary(IReadOnlyList<VerdictCount> Counts, IReadOnlyList<string> Headlines);

internal sealed record VerdictCount(string Kind, int Pass, int Fail, int NotApplicable);
