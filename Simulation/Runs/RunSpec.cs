using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Model;
using Verify.Simulation.Settings;

namespace Verify.Simulation.Runs;

/// <summary>
/// Everything that determines one training run. Its defaults and checks are those of the settings
/// (<see cref="Keys"/>), which reproduce the paper's synthetic setting: m = 1000, T = 1000, PGD-20 from zero
/// for training, leaky ReLU with γ = 0.1, f64.
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
    public int Width { get; init; } = Keys.Width.Default;
    public Activation Activation { get; init; } = Activation.LeakyRelu(Keys.Gamma.Default);
    /// <summary>ω, the initialization scale; null applies <see cref="DefaultRules.InitScale"/>.</summary>
    public double? InitScale { get; init; }
    /// <summary>η; null applies <see cref="DefaultRules.LearningRate"/> with <see cref="LearningRateFactor"/>.</summary>
    public double? LearningRate { get; init; }
    /// <summary>κ in η = κ / λ_max(X·Xᵀ/n).</summary>
    public double LearningRateFactor { get; init; } = Keys.LearningRateFactor.Default;
    public int Iterations { get; init; } = Keys.Iterations.Default;
    public int RecordEvery { get; init; } = Keys.RecordEvery.Default;
    public PgdSettings TrainAttack { get; init; } = PgdSettings.PaperTraining;
    public PgdSettings EvalAttack { get; init; } = PgdSettings.StrongEvaluation;
    /// <summary>Slope-optimization steps of the certificate for test points it leaves undecided (0: the plain bound only).</summary>
    public int CertifySteps { get; init; } = Keys.CertifySteps.Default;
    public EmbeddingMode Mode { get; init; } = Keys.Mode.Default;
    public Precision Precision { get; init; } = Keys.Precision.Default;
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
            throw InvalidInputException.MustBe(Keys.AlphaOverMu.Name, fraction.ToString("R"),
                $"given only where the training set has both classes, so that M̂ (the class-mean half-distance) exists; this run's M̂ is {signalNorm?.ToString("G4") ?? "unknown"}: give alpha instead");
        return this with { Alpha = fraction * m };
    }

    /// <summary>This spec when every value is one its setting allows (<see cref="Keys"/>), and the values fit together.</summary>
    public RunSpec Validate()
    {
        Keys.Alpha.Check(Alpha);
        if (AlphaOverSignalNorm is { } fraction)
        {
            Keys.AlphaOverMu.Check(fraction);
            if (Data is GaussianMixture)
                throw InvalidInputException.MustBe(Keys.AlphaOverMu.Name, fraction.ToString("R"),
                    "resolved from the mixture's M before a Gaussian run (α = (α/M)·M); a fraction of the measured M̂ is for real data (MNIST)");
        }
        Keys.Width.Check(Width);
        Activation.Validate();
        if (InitScale is { } w) Keys.InitScale.Check(w);
        if (LearningRate is { } eta) Keys.LearningRate.Check(eta);
        Keys.LearningRateFactor.Check(LearningRateFactor);
        Keys.Iterations.Check(Iterations);
        Keys.RecordEvery.Check(RecordEvery);
        Keys.CertifySteps.Check(CertifySteps);
        TrainAttack.Validate(Keys.TrainingAttack);
        EvalAttack.Validate(Keys.EvaluationAttack);
        if (TrainingAttackStartsAtRandom && Mode is EmbeddingMode.Subspace or EmbeddingMode.RotationInvariant)
        {
            string mode = Keys.Mode.Format(Mode);
            const string why = "a random start's component outside the basis would be dropped from the weight update; use mode naive or auto";
            throw TrainAttack.Start == PgdStart.Random
                ? InvalidInputException.MustBe(Keys.PgdStart.Name, Keys.PgdStart.Format(PgdStart.Random), $"zero in mode {mode} ({why})")
                : InvalidInputException.MustBe(Keys.PgdRestarts.Name, Keys.PgdRestarts.Format(TrainAttack.Restarts),
                    $"1 in mode {mode} (each extra run starts at random, and {why})");
        }
        if (Mode is EmbeddingMode.Subspace or EmbeddingMode.RotationInvariant && Data.Dimension <= Width / 2 + Data.TrainingCount)
            throw InvalidInputException.MustBe(Keys.Mode.Name, Keys.Mode.Format(Mode),
                $"used only when d > n + m/2 (here d = {Data.Dimension}, n + m/2 = {Width / 2 + Data.TrainingCount}); use naive or auto");
        if (Data is GaussianMixture g)
        {
            g.Validate();
            if (Mode == EmbeddingMode.RotationInvariant && g.RotationInvariantRefusal() is { } refusal) throw refusal;
        }
        return this;
    }
}
