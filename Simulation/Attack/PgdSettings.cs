using Verify.Simulation.Settings;

namespace Verify.Simulation.Attack;

/// <summary>
/// l2 PGD on the margin y·f(x + δ): <see cref="Steps"/> normalized-gradient steps of size
/// <see cref="StepSize"/> (default 2.5·α/K), each followed by projection onto the ball ||δ|| ≤ α.
/// The first run starts as <see cref="Start"/> says; each further restart starts uniformly in the ball.
/// Every example keeps the lowest margin seen (its worst case) across steps and restarts.
/// </summary>
/// <param name="StopTolerance">Optional convergence stop: end a run when no example's margin improved by more than this in a step.</param>
/// <param name="WarmStart">Training only: start each iteration's attack from the previous iteration's perturbation.</param>
public sealed record PgdSettings(
    int Steps = 20,
    double? StepSize = null,
    PgdStart Start = PgdStart.Zero,
    int Restarts = 1,
    double? StopTolerance = null,
    bool WarmStart = false)
{
    public const double DefaultStepFactor = 2.5;

    /// <summary>The paper's training attack: PGD-20 from zero (the defaults of <see cref="Keys.TrainingAttack"/>).</summary>
    public static PgdSettings PaperTraining { get; } = Defaults(Keys.TrainingAttack);

    /// <summary>Evaluation default: stronger than training (more steps, a random restart; the defaults of <see cref="Keys.EvaluationAttack"/>).</summary>
    public static PgdSettings StrongEvaluation { get; } = Defaults(Keys.EvaluationAttack);

    private static PgdSettings Defaults(AttackKeys k) => new(k.Steps.Default, null, k.Start.Default, k.Restarts.Default, null, k.WarmStart?.Default ?? false);

    public double EffectiveStepSize(double alpha) => StepSize ?? DefaultStepFactor * alpha / Math.Max(1, Steps);

    /// <summary>
    /// Some run starts at a random point of the ball: the first when <see cref="Start"/> is random
    /// (without a warm start, or at the first iteration with one), every further run when <see cref="Restarts"/> &gt; 1.
    /// Such a start has a component outside the run's basis (see <see cref="Pgd{T}"/>), which the
    /// reduced modes keep only as a norm: fine for evaluation, not for training.
    /// </summary>
    public bool StartsAtRandom => Start == PgdStart.Random || Restarts > 1;

    /// <summary>The attack moves anything at budget α: α &gt; 0 and at least one step (otherwise δ = 0 and no start is drawn).</summary>
    public bool Perturbs(double alpha) => alpha > 0 && Steps > 0;

    /// <summary>These settings when each is one its setting in <paramref name="keys"/> allows.</summary>
    public PgdSettings Validate(AttackKeys keys)
    {
        keys.Steps.Check(Steps);
        keys.Restarts.Check(Restarts);
        if (StepSize is { } s) keys.StepSize.Check(s);
        if (StopTolerance is { } t)
            (keys.StopTolerance ?? throw InvalidInputException.MustBe(keys.Steps.Name, Steps.ToString(), "an attack without a stop tolerance (only the training attack has one)")).Check(t);
        return this;
    }

    public override string ToString() =>
        $"PGD-{Steps}, step {(StepSize is { } s ? s.ToString("G4") : $"{DefaultStepFactor}·α/K")}, start {Start.ToString().ToLowerInvariant()}, {Restarts} run(s)"
        + (StopTolerance is { } t ? $", stop at Δmargin ≤ {t:G3}" : "") + (WarmStart ? ", warm start" : "");
}
