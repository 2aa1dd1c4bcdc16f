using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Model;

namespace Verify.Simulation.Runs;

public enum Precision { Double, Single }

/// <summary>
/// Everything that determines one training run. Defaults reproduce the paper's synthetic setting:
/// m = 1000, T = 1000, PGD-20 from zero for training, leaky ReLU with γ = 0.1, f64.
/// </summary>
public sealed record RunSpec
{
    public required IDataSource Data { get; init; }
    /// <summary>α, the l2 attack budget (0 = standard training). With <see cref="AlphaOverSignalNorm"/> set, 0 until the data are realized.</summary>
    public double Alpha { get; init; }

    /// <summary>
    /// α as a fraction of M̂ (real data only): when set, the run measures M̂, the class-mean half-distance of its own
    /// preprocessed training set (clean labels, <see cref="Data.ClassMeans.HalfDistance(Data.LabeledSet)"/>), once the data
    /// are realized and before the first iteration, and trains and is evaluated at α = fraction · M̂
    /// (<see cref="ResolveAlpha"/>); its result carries that α and M̂. Null: α is <see cref="Alpha"/>. The
    /// Gaussian mixture's M is a setting, so there α/M is resolved before the run and this stays null.
    /// </summary>
    public double? AlphaOverSignalNorm { get; init; }
    /// <summary>m, the width (even).</summary>
    public int Width { get; init; } = 1000;
    public Activation Activation { get; init; } = Activation.LeakyRelu(0.1);
    /// <summary>ω, the initialization scale; null applies <see cref="DefaultRules.InitScale"/>.</summary>
    public double? InitScale { get; init; }
    /// <summary>η; null applies <see cref="DefaultRules.LearningRate"/> with <see cref="LearningRateFactor"/>.</summary>
    public double? LearningRate { get; init; }
    /// <summary>κ in η = κ / λ_max(X·Xᵀ/n).</summary>
    public double LearningRateFactor { get; init; } = DefaultRules.LearningRateFactor;
    public int Iterations { get; init; } = 1000;
    public int RecordEvery { get; init; } = 1;
    public PgdSettings TrainAttack { get; init; } = PgdSettings.PaperTraining;
    public PgdSettings EvalAttack { get; init; } = PgdSettings.StrongEvaluation;
    /// <summary>Slope-optimization steps of the certificate for test points it leaves undecided (0: the plain bound only).</summary>
    public int CertifySteps { get; init; } = DefaultCertifySteps;

    /// <summary>
    /// Measured at d = 1000, M = 5, α/M = 0.5 (T = 300): the plain bound certifies 790 of 2 000 test points,
    /// 20 steps 954, 100 and 400 steps 955: the ascent has converged by 20, at 3.6 s for the 400 undecided points.
    /// </summary>
    public const int DefaultCertifySteps = 20;
    public EmbeddingMode Mode { get; init; } = EmbeddingMode.Auto;
    public Precision Precision { get; init; } = Precision.Double;
    /// <summary>The run's own seed (an experiment derives it from its master seed).</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// The training attack draws a random start somewhere (<see cref="PgdSettings.StartsAtRandom"/>) and
    /// actually runs (<see cref="PgdSettings.Perturbs"/>). Such a start has a component outside any basis
    /// of span(initial rows, training inputs); the weight update needs it, so only
    /// <see cref="EmbeddingMode.Naive"/> trains exactly then (auto picks it; subspace and
    /// rotation-invariant are refused by <see cref="Validate"/>).
    /// </summary>
    public bool TrainingAttackStartsAtRandom => TrainAttack.StartsAtRandom && (TrainAttack.Perturbs(Alpha) || TrainAttack.Perturbs(AlphaOverSignalNorm ?? 0));

    /// <summary>
    /// This spec at α = <see cref="AlphaOverSignalNorm"/> · <paramref name="signalNorm"/> (unchanged when α is given
    /// directly): the run's M̂, measured on its realized training set. An M̂ that is not a finite number ≥ 0 (a training
    /// set with one class only) is an input error naming alphaOverMu.
    /// </summary>
    public RunSpec ResolveAlpha(double? signalNorm)
    {
        if (AlphaOverSignalNorm is not { } fraction) return this;
        if (signalNorm is not { } m || !double.IsFinite(m) || m < 0)
            throw InvalidInputException.MustBe("alphaOverMu", fraction.ToString("R"),
                $"given only where the training set has both classes, so that M̂ (the class-mean half-distance) exists; this run's M̂ is {signalNorm?.ToString("G4") ?? "unknown"}: give alpha instead");
        return this with { Alpha = fraction * m };
    }

    public RunSpec Validate()
    {
        if (!(Alpha >= 0) || !double.IsFinite(Alpha)) throw InvalidInputException.MustBe("alpha", Alpha.ToString("R"), "a finite number ≥ 0");
        if (AlphaOverSignalNorm is { } fraction)
        {
            if (!(fraction >= 0) || !double.IsFinite(fraction)) throw InvalidInputException.MustBe("alphaOverMu", fraction.ToString("R"), "a finite number ≥ 0");
            if (Data is GaussianMixture)
                throw InvalidInputException.MustBe("alphaOverMu", fraction.ToString("R"),
                    "resolved from the mixture's M before a Gaussian run (α = (α/M)·M); a fraction of the measured M̂ is for real data (MNIST)");
        }
        if (Width < 2 || Width % 2 != 0) throw InvalidInputException.MustBe("m", Width.ToString(), "an even integer ≥ 2");
        Activation.Validate();
        if (InitScale is { } w && !(w > 0 && double.IsFinite(w))) throw InvalidInputException.MustBe("initScale", w.ToString("R"), "a finite number > 0");
        if (LearningRate is { } eta && !(eta > 0 && double.IsFinite(eta))) throw InvalidInputException.MustBe("learningRate", eta.ToString("R"), "a finite number > 0");
        if (!(LearningRateFactor > 0 && double.IsFinite(LearningRateFactor))) throw InvalidInputException.MustBe("learningRateFactor", LearningRateFactor.ToString("R"), "a finite number > 0");
        if (Iterations < 0) throw InvalidInputException.MustBe("iterations", Iterations.ToString(), "an integer ≥ 0");
        if (RecordEvery < 1) throw InvalidInputException.MustBe("recordEvery", RecordEvery.ToString(), "an integer ≥ 1");
        TrainAttack.Validate("trainAttack");
        EvalAttack.Validate("evalAttack");
        if (CertifySteps < 0) throw InvalidInputException.MustBe("certifySteps", CertifySteps.ToString(), "an integer ≥ 0");
        if (TrainingAttackStartsAtRandom && Mode is EmbeddingMode.Subspace or EmbeddingMode.RotationInvariant)
        {
            string mode = Simulator.ModeName(Mode);
            const string why = "a random start's component outside the basis would be dropped from the weight update; use mode naive or auto";
            throw TrainAttack.Start == PgdStart.Random
                ? InvalidInputException.MustBe("pgdStart", "random", $"zero in mode {mode} ({why})")
                : InvalidInputException.MustBe("pgdRestarts", TrainAttack.Restarts.ToString(),
                    $"1 in mode {mode} (each extra run starts at random, and {why})");
        }
        if (Mode is EmbeddingMode.Subspace or EmbeddingMode.RotationInvariant && Data.Dimension <= Width / 2 + Data.TrainingCount)
            throw InvalidInputException.MustBe("mode", Simulator.ModeName(Mode),
                $"used only when d > n + m/2 (here d = {Data.Dimension}, n + m/2 = {Width / 2 + Data.TrainingCount}); use naive or auto");
        if (Data is GaussianMixture g) g.Validate();
        return this;
    }
}
