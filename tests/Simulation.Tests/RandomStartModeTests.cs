using Verify.Simulation.Settings;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Runs;

namespace Verify.Simulation.Tests;

/// <summary>
/// A training attack that starts at random has a component outside the reduced bases that the weight
/// update needs: such runs are naive-only (auto picks naive, subspace and rotation-invariant are refused),
/// while evaluation attacks may start at random in every mode.
/// </summary>
public class RandomStartModeTests
{
    // d = 200 > n + m/2 = 40: auto would pick rotation-invariant (Gaussian data) with a zero start.
    private static RunSpec Tiny => TestProblems.Small(d: 200, n: 20, width: 40, iterations: 4) with
    {
        TrainAttack = new PgdSettings(Steps: 3),
        EvalAttack = new PgdSettings(Steps: 3),
    };

    private static readonly PgdSettings RandomStart = new(Steps: 3, Start: PgdStart.Random);
    private static readonly PgdSettings TwoRuns = new(Steps: 3, Restarts: 2);

    [TestCase(EmbeddingMode.Subspace, "subspace")]
    [TestCase(EmbeddingMode.RotationInvariant, "rotation-invariant")]
    public void Random_training_start_is_refused_in_reduced_modes(EmbeddingMode mode, string name)
    {
        var spec = Tiny with { Mode = mode, TrainAttack = RandomStart };
        var ex = Assert.Throws<InvalidInputException>(() => spec.Validate())!;
        Assert.That(ex.Field, Is.EqualTo("pgdStart"));
        Assert.That(ex.Value, Is.EqualTo("random"));
        Assert.That(ex.Message, Is.EqualTo(
            $"pgdStart = random is not allowed: must be zero in mode {name} " +
            "(a random start's component outside the basis would be dropped from the weight update; use mode naive or auto)"));
        Assert.That(Assert.Throws<InvalidInputException>(() => Simulator.Run(spec))!.Field, Is.EqualTo("pgdStart"), "Run validates too");
    }

    [TestCase(EmbeddingMode.Subspace, "subspace")]
    [TestCase(EmbeddingMode.RotationInvariant, "rotation-invariant")]
    public void Training_restarts_are_refused_in_reduced_modes(EmbeddingMode mode, string name)
    {
        var spec = Tiny with { Mode = mode, TrainAttack = TwoRuns };
        var ex = Assert.Throws<InvalidInputException>(() => spec.Validate())!;
        Assert.That(ex.Field, Is.EqualTo("pgdRestarts"));
        Assert.That(ex.Value, Is.EqualTo("2"));
        Assert.That(ex.Message, Does.StartWith("pgdRestarts = 2 is not allowed: must be 1 in mode " + name + " ").And.Contain("use mode naive or auto"));
        Assert.That(Assert.Throws<InvalidInputException>(() => Simulator.Run(spec))!.Field, Is.EqualTo("pgdRestarts"), "Run validates too");
    }

    [Test]
    public void Warm_start_from_zero_stays_allowed_in_reduced_modes()
    {
        var warm = new PgdSettings(Steps: 3, WarmStart: true);
        Assert.That(warm.StartsAtRandom, Is.False);
        foreach (var mode in new[] { EmbeddingMode.Subspace, EmbeddingMode.RotationInvariant })
            Assert.DoesNotThrow(() => (Tiny with { Mode = mode, TrainAttack = warm }).Validate());
        Assert.That(new PgdSettings(Steps: 3, Start: PgdStart.Random, WarmStart: true).StartsAtRandom, Is.True, "the first iteration still starts at random");
    }

    [Test]
    public void Auto_resolves_to_naive_when_the_training_attack_starts_at_random()
    {
        Assert.That(Simulator.ResolveMode(Tiny), Is.EqualTo(EmbeddingMode.RotationInvariant), "zero start: as before");
        Assert.That(Simulator.ResolveMode(Tiny with { Data = new GaussianMixture(20, 50, 30, 3, 0.1) }), Is.EqualTo(EmbeddingMode.Naive), "d ≤ n + m/2: as before");
        Assert.That(Simulator.ResolveMode(Tiny with { TrainAttack = RandomStart }), Is.EqualTo(EmbeddingMode.Naive));
        Assert.That(Simulator.ResolveMode(Tiny with { TrainAttack = TwoRuns }), Is.EqualTo(EmbeddingMode.Naive));
        Assert.That(Simulator.ResolveMode(Tiny with { EvalAttack = new PgdSettings(Steps: 3, Start: PgdStart.Random, Restarts: 2) }),
            Is.EqualTo(EmbeddingMode.RotationInvariant), "random evaluation starts do not matter");
    }

    [Test]
    public void A_training_attack_that_does_not_run_draws_no_start()
    {
        // α = 0 or K = 0: δ = 0, nothing random enters the update, so the reduced modes stay exact and allowed.
        foreach (var spec in new[] { Tiny with { Alpha = 0, TrainAttack = RandomStart }, Tiny with { TrainAttack = TwoRuns with { Steps = 0 } } })
        {
            Assert.That(spec.TrainingAttackStartsAtRandom, Is.False);
            Assert.That(Simulator.ResolveMode(spec), Is.EqualTo(EmbeddingMode.RotationInvariant));
            Assert.DoesNotThrow(() => (spec with { Mode = EmbeddingMode.Subspace }).Validate());
        }
    }

    [TestCase(EmbeddingMode.Subspace)]
    [TestCase(EmbeddingMode.RotationInvariant)]
    public void Random_evaluation_starts_stay_allowed_in_reduced_modes(EmbeddingMode mode)
    {
        var spec = Tiny with { Mode = mode, EvalAttack = new PgdSettings(Steps: 3, Start: PgdStart.Random, Restarts: 2) };
        var r = Simulator.Run(spec);
        Assert.That(r.Mode, Is.EqualTo(Keys.Mode.Format(mode)));
        Assert.That(r.Evaluation, Is.Not.Null);
    }

    [Test]
    public void Naive_runs_with_a_random_training_start()
    {
        var explicitNaive = Simulator.Run(Tiny with { Mode = EmbeddingMode.Naive, TrainAttack = new PgdSettings(Steps: 3, Start: PgdStart.Random, Restarts: 2) });
        Assert.That(explicitNaive.Mode, Is.EqualTo("naive"));
        Assert.That(explicitNaive.Diverged, Is.False);
        Assert.That(explicitNaive.Training.IterationsRun, Is.EqualTo(4));
        Assert.That(explicitNaive.Evaluation, Is.Not.Null);

        var auto = Simulator.Run(Tiny with { TrainAttack = RandomStart });
        Assert.That(auto.Mode, Is.EqualTo("naive"), "auto picks naive");
        Assert.That(auto.BasisDimension, Is.EqualTo(200));
        Assert.That(auto.Evaluation, Is.Not.Null);
    }
}
