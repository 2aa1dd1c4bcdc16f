using Verify.Simulation.Settings;
using Verify.Simulation.Certification;
using Verify.Simulation.Evaluation;
using Verify.Simulation.Runs;
using Verify.Verification.Settings;

namespace Verify.Verification.Results;

/// <summary>
/// The stored form of one run (results/*.json, `verify train --json`): the full settings that
/// produced it, its seed, what ran it, its metrics and its training curve. Schema "verify.run/2":
/// settings are typed JSON values (numbers as numbers); "verify.run/1" files, which hold every setting
/// as a string, are brought to it as they are read (<see cref="Upgrade"/>). Fields are added, never renamed. A record read from a file is used only
/// when <see cref="RunRecordValidation"/> finds nothing wrong with it (ResultStore.Read).
/// </summary>
internal sealed record RunRecord(
    string Schema,
    RunSettings Settings,
    ulong Seed,
    RunProvenance Provenance,
    RunMetrics? Metrics,
    string? Divergence,
    TrainingCurve Curve,
    RunTimingsRecord Timings)
{
    public const string CurrentSchema = "verify.run/2";

    /// <summary>
    /// Finished but without the certified upper end of the robust test error (written before certification existed)
    /// or of the robust training error (written before training points were certified).
    /// </summary>
    public bool PredatesCertification => Metrics is { RobustTestCertified: null } or { RobustTrainCertified: null };

    /// <summary>The schemas this version reads.</summary>
    public static bool Readable(string? schema) => schema is CurrentSchema;

    public static RunRecord From(RunResult r, RunSettings settings, EnvironmentInfo env) => new(
        CurrentSchema,
        settings,
        r.Spec.Seed,
        new RunProvenance(r.Version, r.Backend, r.Precision, r.Mode, r.BasisDimension, r.DatasetName, r.Spec.Alpha,
            r.LearningRate, r.InitScale, r.Spec.TrainAttack.ToString(), r.Spec.EvalAttack.ToString(), r.Spec.Activation.ToString(), env,
            r.SignalNorm, r.NoiseScale),
        r.Evaluation is { } e ? new RunMetrics(
            r.Interpolates,
            Estimate.Of(e.CleanTest), Estimate.Of(e.RobustTest),
            Estimate.Of(e.CleanTestCleanLabels), Estimate.Of(e.RobustTestCleanLabels),
            Estimate.Of(e.CleanTrain), Estimate.Of(e.RobustTrain), e.RobustTrainLoss,
            r.Training.ZeroGradientSteps, r.Training.MeanPgdStepsPerIteration,
            e.TrainingAttackGap?.TrainingAttackLoss, e.TrainingAttackGap?.ReferenceAttackLoss,
            e.Certified is { } c ? Estimate.Of(c.Upper) : null,
            e.Certified is { } k ? CertificationRecord.Of(k) : null,
            e.CertifiedTrain is { } t ? Estimate.Of(t.Upper) : null,
            e.CertifiedTrain is { } u ? CertificationRecord.Of(u) : null) : null,
        r.Training.Divergence?.Reason,
        new TrainingCurve(
            r.Training.Curve.Select(p => p.Iteration).ToArray(),
            r.Training.Curve.Select(p => p.RobustLoss).ToArray(),
            r.Training.Curve.Select(p => p.RobustError).ToArray(),
            r.Training.Curve.Select(p => p.CleanError).ToArray(),
            r.Training.Curve.Select(p => p.WeightDistance).ToArray()),
        new RunTimingsRecord(r.Timings.SetupSeconds, r.Timings.TrainingSeconds, r.Timings.EvaluationSeconds, r.Timings.SecondsPerIteration,
            r.Timings.CertificationSeconds));
}

/// <param name="SignalNorm">M in input units: ||μ|| for Gaussian data, the measured class-mean half-distance M̂ for real data.</param>
/// <param name="NoiseScale">σ in input units: the mixture's σ, or the measured within-class spread σ̂ (M/σ is M in the theory's units). Files
/// written before both were recorded in input units hold M/σ and no σ for Gaussian runs; <see cref="Upgrade"/> converts them.</param>
internal sealed record RunProvenance(
    string Version, string Backend, string Precision, string Mode, int BasisDimension, string Dataset, double Alpha,
    double LearningRate, double InitScale, string TrainAttack, string EvalAttack, string Activation, EnvironmentInfo Environment,
    double? SignalNorm = null,
    double? NoiseScale = null);

/// <summary>
/// Errors with counts and 95% Wilson intervals; "CleanLabels" variants are measured against y_c.
/// TrainingAttackLoss / ReferenceAttackLoss: the final model's robust training loss under the training
/// attack's settings and under a long reference attack (PGD-200, 2 runs): how far the training attack is from converged.
/// RobustTestCertified: the upper end of the robust test error (noisy labels), the test points not certified
/// robust; RobustTest is the lower end (the points the attack flipped). Null in runs that predate certification.
/// RobustTrainCertified: the upper end of the robust training error (noisy training labels), the training points
/// not certified robust, over n; RobustTrain is the lower end, and Interpolates says it is 0. Null in runs that
/// predate the certification of training points. TrainCertification: its counts, as Certification for the test points.
/// </summary>
internal sealed record RunMetrics(
    bool Interpolates,
    Estimate CleanTest, Estimate RobustTest,
    Estimate CleanTestCleanLabels, Estimate RobustTestCleanLabels,
    Estimate CleanTrain, Estimate RobustTrain,
    double RobustTrainLoss,
    long ZeroGradientSteps,
    double MeanPgdStepsPerIteration,
    double? TrainingAttackLoss = null,
    double? ReferenceAttackLoss = null,
    Estimate? RobustTestCertified = null,
    CertificationRecord? Certification = null,
    Estimate? RobustTrainCertified = null,
    CertificationRecord? TrainCertification = null)
{
    /// <summary>Every training point certified robust (the robust training error is provably 0); null when the run predates training certificates.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool? CertifiedInterpolates => RobustTrainCertified is { } e ? e.Errors == 0 : null;
}

/// <summary>How many points (test or training) were certified by the plain bound and in all (plain or optimized slopes), how many neither certified nor attacked, and how many both (a bug).</summary>
internal sealed record CertificationRecord(int CertifiedPlain, int Certified, int Undecided, int Conflicts, int OptimizeSteps)
{
    public static CertificationRecord Of(CertifiedRobustness c) => new(c.CertifiedPlain, c.Certified, c.Undecided, c.Conflicts, c.OptimizeSteps);
}

internal sealed record Estimate(int Errors, int Total, double Rate, double WilsonLow, double WilsonHigh)
{
    public static Estimate Of(ErrorEstimate e) => new(e.Errors, e.Total, e.Rate, e.Wilson95.Low, e.Wilson95.High);
}

internal sealed record TrainingCurve(int[] Iteration, double[] RobustLoss, double[] RobustError, double[] CleanError, double[] WeightDistance);

/// <param name="CertificationSeconds">The part of the evaluation spent certifying test and training points (absent before certification existed; test points only before training points were certified).</param>
internal sealed record RunTimingsRecord(double SetupSeconds, double TrainingSeconds, double EvaluationSeconds, double SecondsPerIteration, double? CertificationSeconds = null);
