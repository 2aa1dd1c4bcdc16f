using Verify.Simulation.Settings;

namespace Verify.Simulation.Training;

/// <summary>Full-batch gradient descent on the mean robust logistic loss.</summary>
/// <param name="Iterations">T, number of GD steps.</param>
/// <param name="LearningRate">η.</param>
/// <param name="RecordEvery">Record the curve every k-th iteration (the first and last are always recorded).</param>
/// <param name="DivergenceLoss">A robust training loss above this (or not finite) stops the run as diverged.</param>
internal sealed record TrainingSettings(int Iterations, double LearningRate, int RecordEvery = 1, double DivergenceLoss = 1e3)
{
    public TrainingSettings Validate()
    {
        Keys.Iterations.Check(Iterations);
        Keys.LearningRate.Check(LearningRate);
        Keys.RecordEvery.Check(RecordEvery);
        if (!(DivergenceLoss > 0)) throw InvalidInputException.MustBe("divergenceLoss", DivergenceLoss.ToString("R"), "a number > 0");
        return this;
    }
}

/// <summary>The state of W(t) on the training set: robust loss and error at the attack's points, clean error, ||W(t) − W(0)||_F.</summary>
public sealed record TrainingPoint(int Iteration, double RobustLoss, double RobustError, double CleanError, double WeightDistance);

/// <summary>Why a run stopped early.</summary>
public sealed record Divergence(int Iteration, string Reason);

public sealed record TrainingOutcome(
    IReadOnlyList<TrainingPoint> Curve,
    int IterationsRun,
    Divergence? Divergence,
    long ZeroGradientSteps,
    double MeanPgdStepsPerIteration);
