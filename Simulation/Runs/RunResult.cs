using Verify.Simulation.Settings;
using Verify.Simulation.Evaluation;
using Verify.Simulation.Training;

namespace Verify.Simulation.Runs;

/// <param name="CertificationSeconds">The part of the evaluation spent certifying test and training points.</param>
public sealed record RunTimings(double SetupSeconds, double TrainingSeconds, double EvaluationSeconds, int Iterations, double CertificationSeconds = 0)
{
    public double SecondsPerIteration => Iterations == 0 ? 0 : TrainingSeconds / Iterations;
    public double TotalSeconds => SetupSeconds + TrainingSeconds + EvaluationSeconds;
}

/// <summary>One finished run with everything needed to reproduce and judge it.</summary>
/// <param name="Mode">The embedding that ran (naive, subspace, rotation-invariant).</param>
/// <param name="BasisDimension">R, the dimension the training ran in.</param>
/// <param name="Evaluation">Null when training diverged: a diverged run reports nothing else.</param>
/// <param name="SignalNorm">M in input units: ||μ|| for Gaussian data, the empirical class-mean half-distance M̂ of the training set for real data.</param>
/// <param name="NoiseScale">σ in input units, the per-coordinate noise spread: the mixture's σ, or the measured within-class spread σ̂; M/σ and α/σ are the theory's units.</param>
public sealed record RunResult(
    RunSpec Spec,
    string DatasetName,
    string Mode,
    int BasisDimension,
    string Precision,
    string Backend,
    string Version,
    double LearningRate,
    double InitScale,
    TrainingOutcome Training,
    EvaluationResult? Evaluation,
    RunTimings Timings,
    double? SignalNorm = null,
    double? NoiseScale = null)
{
    public bool Diverged => Training.Divergence is not null;

    /// <summary>Robust training error 0 under the evaluation attack at the end (the attack found no training point to flip; it may have missed one).</summary>
    public bool Interpolates => Evaluation is { RobustTrain.Errors: 0 };

    /// <summary>Every training point certified robust at the end: the robust training error is provably 0 (implies <see cref="Interpolates"/> unless the evaluation has a bug).</summary>
    public bool CertifiedInterpolates => Evaluation is { CertifiedTrain: { } c } && c.Certified == c.Total;
}

/// <summary>Progress of a run, for bars and log lines.</summary>
public readonly record struct RunProgress(string Phase, int Iteration, int Total, double Loss);
