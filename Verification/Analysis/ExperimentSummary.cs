using System.Text.Json.Serialization;
using Verify.Simulation.Settings;
using Verify.Verification.Claims;
using Verify.Verification.Results;
using Verify.Verification.Settings;
using Verify.Verification.Cells;

namespace Verify.Verification.Analysis;

/// <summary>
/// Everything a report shows about one experiment: what was run (<see cref="Experiment"/>), what produced the
/// numbers (<see cref="Environment"/>), per cell the measurements, the theory evaluated there, the theorems' claims
/// and the sanity checks (<see cref="Cells"/>), and across cells what the report concludes (<see cref="Findings"/>).
/// Reports are pure functions of this record (and so are results.json and results.csv).
/// </summary>
/// <param name="Experiment">The experiment as configured: name, texts, seeds, C, δ, ε and tolerances (results.json "experiment").</param>
/// <param name="Environment">What produced the numbers (results.json "environment").</param>
/// <param name="Cells">One summary per grid point (results.json "cells").</param>
/// <param name="Findings">What the report concludes across cells (results.json "findings").</param>
internal sealed record ExperimentSummary(
    ExperimentInfo Experiment,
    RunEnvironment Environment,
    IReadOnlyList<CellSummary> Cells,
    Findings Findings)
{
    /// <summary>The layout of results.json (its first property): "verify.results/2" groups the summary as this record does; the files before it had no schema.</summary>
    public const string CurrentSchema = "verify.results/2";

    /// <summary>See <see cref="CurrentSchema"/>.</summary>
    [JsonPropertyOrder(-1)]
    public string Schema => CurrentSchema;
}

/// <summary>What a summary says about the experiment itself (from its config, or made by hand in tests).</summary>
/// <param name="Scale">How the run's scale compares with the paper's, and how many planned runs are missing.</param>
/// <param name="ConfigAsRun">The config as run, as JSON.</param>
/// <param name="Seeds">The master seed and the number of seeds per cell.</param>
/// <param name="Constants">C, δ and ε: what the theory is evaluated with.</param>
internal sealed record ExperimentInfo(
    string Name,
    string Description,
    string? Notes,
    string Scale,
    string ConfigAsRun,
    Seeding Seeds,
    TheoryConstants Constants,
    Tolerances Tolerances);

/// <summary>How the runs were seeded: every run's seed derives from <paramref name="Master"/>; each cell has <paramref name="PerCell"/> seeds.</summary>
internal sealed record Seeding(ulong Master, int PerCell);

/// <summary>The constants the theory is evaluated with.</summary>
/// <param name="C">The theorems' unknown constant C: claims and RECONSTRUCTED bounds are taken at this C (and tested across C).</param>
/// <param name="Delta">δ: the theorems hold with probability at least 1 − δ.</param>
/// <param name="Epsilon">ε: the phase boundary is where the error crosses β + ε.</param>
internal sealed record TheoryConstants(double C, double Delta, double Epsilon);

/// <summary>What the report concludes across cells.</summary>
/// <param name="Fits">The fitted phase boundaries.</param>
/// <param name="Claims">The theorems' claims tested across C (results.json "findings.claims").</param>
/// <param name="NoiseModels">The same claims per noise model (rule and family) of the Gaussian cells, when the experiment varies it; else empty.</param>
/// <param name="Sanity">The EXACT lower-bound checks (results.json "findings.sanity").</param>
/// <param name="Heuristic">Agreement with the HEURISTIC prediction: not a claim of the theorem.</param>
/// <param name="Mnist">MNIST against the Gaussian HEURISTIC curve, by normalization and β (empty without MNIST cells).</param>
/// <param name="Certification">How tightly the robust errors are known: the brackets [attacked, certified].</param>
/// <param name="Observations">What the measurements show where no claim applies.</param>
/// <param name="Headlines">The lines at the top of the report, the first being the theorems' outcome.</param>
internal sealed record Findings(
    IReadOnlyList<PhaseBoundaryFit> Fits,
    ClaimsSummary Claims,
    IReadOnlyList<NoiseModelClaims> NoiseModels,
    SanitySummary Sanity,
    HeuristicAgreement Heuristic,
    MnistComparison Mnist,
    CertificationSummary Certification,
    IReadOnlyList<string> Observations,
    IReadOnlyList<string> Headlines);

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
/// <param name="Measured">The runs and their errors, aggregated over seeds.</param>
/// <param name="Certification">The certified ends of the brackets: robust test error and interpolation rate.</param>
/// <param name="Theory">The theory at this cell, in noise units.</param>
/// <param name="Findings">The theorems' claims, the EXACT sanity checks and the HEURISTIC comparison at this cell.</param>
/// <param name="Curve">The mean training curve.</param>
internal sealed record CellSummary(
    string Key,
    RunSettings Settings,
    CellParameters Parameters,
    CellMeasurements Measured,
    CellCertification Certification,
    CellTheory Theory,
    CellFindings Findings,
    MeanCurve Curve);

/// <summary>A cell's runs and their errors, aggregated over seeds (the robust errors are the attacked, lower ends).</summary>
/// <param name="Runs">The cell's runs, diverged ones included.</param>
/// <param name="Diverged">Runs that diverged (no metrics).</param>
/// <param name="RobustTest">The robust test error under the evaluation attack: the lower end of the bracket whose upper end is <see cref="CellCertification.RobustTest"/>.</param>
/// <param name="InterpolationRate">Fraction of the cell's runs that interpolate under the evaluation attack (robust training error 0; a diverged run does not).</param>
internal sealed record CellMeasurements(
    int Runs,
    int Diverged,
    Statistic CleanTest,
    Statistic RobustTest,
    Statistic CleanTestCleanLabels,
    Statistic RobustTestCleanLabels,
    Statistic RobustTrainLoss,
    double InterpolationRate);

/// <summary>What the certificates add to a cell's measurements: the certified ends of its brackets.</summary>
/// <param name="RobustTest">The upper end of the robust test error (points not certified robust), when every run has one; <see cref="CellMeasurements.RobustTest"/> is the lower end.</param>
/// <param name="Undecided">Mean fraction of test points neither certified nor attacked (NaN without certificates).</param>
/// <param name="Conflicts">Test points both certified and attacked, over all runs: a bug whenever not 0.</param>
/// <param name="PlainUpper">Mean over seeds of the upper end with the plain bound alone (before slope optimization); NaN without certificates.</param>
/// <param name="InterpolationRate">Fraction of the cell's runs certified to interpolate (every training point certified robust; a diverged run is not):
/// the lower end of the interpolation rate, whose upper end is <see cref="CellMeasurements.InterpolationRate"/>. NaN when a finished run lacks the training certificate (written before training points were certified).</param>
internal sealed record CellCertification(
    Statistic? RobustTest,
    double Undecided,
    int Conflicts,
    double PlainUpper,
    double InterpolationRate)
{
    /// <summary>No certificate at all: no upper ends, no conflicts.</summary>
    public static CellCertification None => new(null, double.NaN, 0, double.NaN, double.NaN);
}

/// <summary>What is checked at a cell: the theorems' claims, the EXACT sanity checks and the HEURISTIC comparison.</summary>
/// <param name="Claims">Every claim of the theorems at this cell, with its outcome at the experiment's C.</param>
/// <param name="Sanity">The EXACT lower-bound checks (Gaussian cells).</param>
/// <param name="Heuristic">The HEURISTIC prediction beside the measurement (Gaussian cells): not a claim.</param>
internal sealed record CellFindings(
    IReadOnlyList<ClaimResult> Claims,
    IReadOnlyList<SanityCheck> Sanity,
    HeuristicComparison? Heuristic);

/// <summary>Mean, spread and a 95% interval of a metric over a cell's seeds.</summary>
/// <param name="Low95">95% interval of the mean: Student t over seeds when there are ≥ 2, else the run's Wilson interval.</param>
internal sealed record Statistic(int Count, double Mean, double Sd, double Min, double Max, double Low95, double High95);

/// <summary>
/// The theory at a cell, from the Bounds library, in noise units: up to which C the hypotheses hold, the RECONSTRUCTED
/// bounds at the experiment's C, Theorem 3.2's collapse, the EXACT Gaussian values and the HEURISTIC prediction.
/// </summary>
/// <param name="Collapse">α ≥ M: by Theorem 3.2 every classifier's robust error is at least 1/2.</param>
/// <param name="Gaussian">The cell's data is the Gaussian mixture.</param>
/// <param name="OptimalClean">Gaussian data other than Gaussian noise with random flips (where <see cref="Exact"/> and
/// <see cref="Heuristic"/> are NaN): the Bayes clean error against the noisy labels under the cell's noise law and label rule
/// (EXACT; below β where the flips are predictable from x). Null elsewhere, and then left out of JSON.</param>
internal sealed record CellTheory(
    CellAssumptions Assumptions,
    BoundsAtC AtC,
    bool Collapse,
    ExactValues Exact,
    HeuristicValues Heuristic,
    bool Gaussian,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? OptimalClean = null)
{
    /// <summary>The optimal clean error is below β: flips predictable from x, so "error ≈ β" is not the benign target.</summary>
    public bool OptimalBelowBeta(double beta) => OptimalClean is { } o && o < beta;

    /// <summary>A cell without theory (M unknown): every value NaN.</summary>
    public static CellTheory Unknown(bool gaussian) =>
        new(CellAssumptions.Unknown, BoundsAtC.Unknown, false, ExactValues.Unknown, HeuristicValues.Unknown, gaussian);

    /// <summary>No C both satisfies A1–A4 here and lets the clean bound cover the measured mean.</summary>
    public bool CleanNeedsMoreThanAllowed => AtC.CleanCNeeded > Assumptions.CleanCStar;

    /// <summary>No C both satisfies A1–A4 and R here and lets the bound cover the measured robust mean.</summary>
    public bool RobustNeedsMoreThanAllowed => AtC.RobustCNeeded > Assumptions.RobustCStar;
}

/// <summary>Up to which C the theorems' hypotheses hold at a cell.</summary>
/// <param name="CStar">min over A1–A4 and R of C*: the cell meets every hypothesis for all C ≤ this.</param>
/// <param name="BindingAssumption">The assumption that sets <paramref name="CStar"/>.</param>
/// <param name="AssumptionCStar">C* of each assumption, by id.</param>
/// <param name="CleanCStar">Largest C at which A1–A4 hold: Theorem 3.1's interpolation and clean-error claims apply for C ≤ this.</param>
/// <param name="RobustCStar">Largest C at which A1–A4 and R hold: the robust-error claim applies for C ≤ this.</param>
internal sealed record CellAssumptions(
    double CStar,
    string BindingAssumption,
    IReadOnlyDictionary<string, double> AssumptionCStar,
    double CleanCStar,
    double RobustCStar)
{
    public static CellAssumptions Unknown => new(double.NaN, "", new Dictionary<string, double>(), double.NaN, double.NaN);
}

/// <summary>
/// Theorem 3.1's RECONSTRUCTED bounds at the experiment's C, and "C needed": the smallest C at which that bound
/// covers the measured mean.
/// </summary>
/// <param name="CleanBound">The clean-error bound at C.</param>
/// <param name="RobustBound">The robust-error bound at C (null when there is none: <paramref name="RobustBoundReason"/> says why).</param>
internal sealed record BoundsAtC(
    double? CleanBound,
    double? RobustBound,
    string? RobustBoundReason,
    double CleanCNeeded,
    double RobustCNeeded)
{
    public static BoundsAtC Unknown => new(null, null, "M unknown", double.NaN, double.NaN);
}

/// <summary>EXACT Gaussian reference errors (noisy labels).</summary>
/// <param name="BayesClean">The Bayes clean error: no classifier does better.</param>
/// <param name="RobustLowerBound">EXACT lower bound on the robust error of any classifier (1/2 at α ≥ M); not attained for 0 &lt; α &lt; M when β &gt; 0.</param>
/// <param name="LinearRobust">The robust error of sgn⟨μ, x⟩ under the l2 attack.</param>
internal sealed record ExactValues(double BayesClean, double RobustLowerBound, double LinearRobust)
{
    public static ExactValues Unknown => new(double.NaN, double.NaN, double.NaN);
}

/// <summary>The HEURISTIC prediction of the linearized interpolator: not a bound, used to compare shapes.</summary>
/// <param name="Clean">Clean test error (noisy labels).</param>
/// <param name="Robust">Robust test error (noisy labels).</param>
/// <param name="CleanLabelClean">Clean test error against the clean labels.</param>
/// <param name="CleanLabelRobust">Robust test error against the clean labels.</param>
internal sealed record HeuristicValues(double Clean, double Robust, double CleanLabelClean, double CleanLabelRobust)
{
    public static HeuristicValues Unknown => new(double.NaN, double.NaN, double.NaN, double.NaN);
}

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
/// HeuristicSlope fits the HEURISTIC boundary d(M) at the same M: the slope a finite grid should show (NaN, not computed,
/// where <see cref="Model"/> is set). Model names the noise law and label rule of cells that are not Gaussian noise with
/// random flips (<see cref="Cells.CellParameters.NoiseModel"/>); null for those that are.
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
    int PooledPoints = 0,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Model = null)
{
    /// <summary>What the interval rests on, in words (the same for every fit of a report).</summary>
    public string IntervalBasis => PooledFit.Describe(PooledPoints, PooledFits, DegreesOfFreedom, Scatter, "fit", "fits", brackets: false);
}

/// <summary>A measured crossing: at signal M, the interpolated d, between the grid values DLow and DHigh of d whose means lie on either side (recorded, not used as a bracket).</summary>
internal sealed record BoundaryPoint(double Mu, double D, double DLow, double DHigh);
