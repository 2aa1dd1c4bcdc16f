using Verify.Simulation.Settings;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Data.Mnist;
using Verify.Simulation.Embedding;
using Verify.Simulation.Runs;

namespace Verify.Simulation.Tests.Mnist;

/// <summary>
/// α as a fraction of M̂ (<see cref="RunSpec.AlphaOverSignalNorm"/>): the run measures M̂ on its realized training set
/// and trains at α = fraction · M̂; its result carries both.
/// </summary>
public class AlphaOverSignalNormTests
{
    private static TempFolder _folder = null!;

    [OneTimeSetUp]
    public static void Write()
    {
        _folder = new TempFolder();
        SyntheticMnist.WriteRandom(_folder.Path, 300);
    }

    [OneTimeTearDown]
    public static void Delete() => _folder.Dispose();

    private static RunSpec Tiny(double fraction, EmbeddingMode mode = EmbeddingMode.Auto, PgdSettings? train = null) => new()
    {
        Data = new MnistDataSource(_folder.Path, 7, MnistNormalization.StandardizePool, 20, 0),
        AlphaOverSignalNorm = fraction,
        Width = 20,
        Iterations = 3,
        TrainAttack = train ?? new PgdSettings(Steps: 2),
        EvalAttack = new PgdSettings(Steps: 2),
        CertifySteps = 0,
        Mode = mode,
        Seed = 5,
    };

    [TestCase(0.0)]
    [TestCase(0.375)]
    [TestCase(1.5)]
    public void The_run_trains_at_the_fraction_of_its_measured_M_hat(double fraction)
    {
        var r = Simulator.Run(Tiny(fraction));
        double muHat = ClassMeans.HalfDistance(Tiny(fraction).Data.Realize(5).Training);
        Assert.That(r.SignalNorm, Is.EqualTo(muHat).Within(1e-12).Percent);
        Assert.That(r.Spec.Alpha, Is.EqualTo(fraction * r.SignalNorm!.Value));
        Assert.That(r.Spec.AlphaOverSignalNorm, Is.EqualTo(fraction));
        Assert.That(r.Spec.TrainAttack.ToString(), Is.EqualTo(Tiny(fraction).TrainAttack.ToString()));
    }

    [Test]
    public void The_resolved_alpha_is_the_one_the_attack_used()
    {
        // At α = 0 the attack cannot move a point: the robust training error equals the clean one. At 1.5·M̂ it must
        // exceed it on this data (if the run attacked with the unresolved α = 0 the two would be equal).
        var r = Simulator.Run(Tiny(1.5));
        Assert.That(r.Evaluation!.RobustTrain.Errors, Is.GreaterThan(r.Evaluation.CleanTrain.Errors));
    }

    [Test]
    public void A_fraction_with_Gaussian_data_is_refused_naming_alphaOverMu()
    {
        var spec = TestProblems.Small(d: 50, n: 10, width: 10, iterations: 2) with { AlphaOverSignalNorm = 0.5 };
        var ex = Assert.Throws<InvalidInputException>(() => spec.Validate())!;
        Assert.That(ex.Field, Is.EqualTo("alphaOverMu"));
        Assert.That(ex.Message, Does.Contain("resolved from the mixture's M"));
    }

    [Test]
    public void A_random_training_start_with_a_fraction_still_needs_the_naive_mode()
    {
        // α is 0 until the data are realized; the fraction alone says the attack will move, so subspace is refused.
        var spec = Tiny(0.5, EmbeddingMode.Subspace, new PgdSettings(Steps: 2, Start: PgdStart.Random)) with
        {
            Data = new MnistDataSource(_folder.Path, 28, MnistNormalization.StandardizePool, 20, 0),
        };
        Assert.That(spec.TrainingAttackStartsAtRandom, Is.True);
        Assert.That(Assert.Throws<InvalidInputException>(() => spec.Validate())!.Field, Is.EqualTo("pgdStart"));
        Assert.That(Simulator.ResolveMode(spec with { Mode = EmbeddingMode.Auto }), Is.EqualTo(EmbeddingMode.Naive));
    }

    [Test]
    public void Without_a_fraction_alpha_is_left_alone()
    {
        var spec = Tiny(0.5) with { AlphaOverSignalNorm = null, Alpha = 0.7 };
        Assert.That(spec.ResolveAlpha(3.0).Alpha, Is.EqualTo(0.7));
        Assert.That(Tiny(0.5).ResolveAlpha(3.0).Alpha, Is.EqualTo(1.5));
        Assert.That(Assert.Throws<InvalidInputException>(() => Tiny(0.5).ResolveAlpha(double.NaN))!.Field, Is.EqualTo("alphaOverMu"));
    }
}
