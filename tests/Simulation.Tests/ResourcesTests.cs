using Verify.Simulation.Settings;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Runs;

namespace Verify.Simulation.Tests;

/// <summary>The estimate that refuses runs that cannot fit, before they start.</summary>
public class ResourcesTests
{
    private static RunSpec Spec(int d, EmbeddingMode mode = EmbeddingMode.Auto, int nTest = 2000)
        => new() { Data = new GaussianMixture(100, nTest, d, 5, 0.1), Width = 1000, Mode = mode };

    [Test]
    public void Naive_memory_grows_with_d_and_the_reductions_do_not()
    {
        var naive = Resources.Of(Spec(1_000_000, EmbeddingMode.Naive));
        var rotation = Resources.Of(Spec(1_000_000));
        Assert.That(rotation.Mode, Is.EqualTo(EmbeddingMode.RotationInvariant));
        // Naive at d = 10⁶: at least the test set, n_test × d reals.
        Assert.That(naive.Bytes, Is.GreaterThan(8.0 * 2000 * 1e6));
        Assert.That(rotation.Bytes, Is.EqualTo(Resources.Of(Spec(1_000_000_000)).Bytes), "rotation-invariant: independent of d");
        Assert.That(rotation.Bytes, Is.LessThan(1e9));
        Assert.That(Resources.Of(Spec(10_000, EmbeddingMode.Subspace)).Bytes, Is.GreaterThan(Resources.Of(Spec(10_000)).Bytes), "the subspace basis costs k × d");
    }

    [Test]
    public void A_run_beyond_the_available_memory_is_refused_with_the_estimate_and_the_way_out()
    {
        var spec = Spec(100_000, EmbeddingMode.Naive);
        double need = Resources.Of(spec).Bytes;
        var ex = Assert.Throws<InvalidInputException>(() => Resources.Check(spec, need / 2))!;
        Assert.That(ex.Message, Does.Contain("d = 100000").And.Contain("GB").And.Contain("mode naive").And.Contain("--mode auto"));
        Assert.DoesNotThrow(() => Resources.Check(spec, need * 2));
        var parallel = Assert.Throws<InvalidInputException>(() => Resources.Check(spec, need * 1.5, concurrent: 2))!;
        Assert.That(parallel.Message, Does.Contain("2 in parallel"));
    }

    [Test]
    public void Auto_is_not_advised_for_data_the_rotation_invariant_mode_cannot_represent()
    {
        var spec = Spec(100_000, EmbeddingMode.Naive);
        spec = spec with { Data = ((Data.GaussianMixture)spec.Data) with { Noise = Settings.NoiseFamily.GaussLaplace } };
        var ex = Assert.Throws<InvalidInputException>(() => Resources.Check(spec, Resources.Of(spec).Bytes / 2))!;
        Assert.That(ex.Message, Does.Not.Contain("--mode auto").And.Contain("smaller settings"));
    }

    [Test]
    public void An_array_beyond_what_net_allocates_is_refused_whatever_the_memory()
    {
        var ex = Assert.Throws<InvalidInputException>(() => Resources.Check(Spec(2_000_000, EmbeddingMode.Naive), double.MaxValue))!;
        Assert.That(ex.Message, Does.Contain("n_test × d").And.Contain(Array.MaxLength.ToString()));
    }
}
