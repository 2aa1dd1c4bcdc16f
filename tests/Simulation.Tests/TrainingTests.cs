using Verify.Simulation.Settings;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;
using Verify.Simulation.Training;

namespace Verify.Simulation.Tests;

public class TrainingTests
{
    [Test]
    public void Subspace_and_naive_paths_give_identical_trajectories()
    {
        // d = 300 > k = m/2 + n = 40: the subspace basis has 40 of the 300 dimensions.
        var spec = TestProblems.Small(d: 300, mu: 3, alpha: 0.4, iterations: 25);
        var (naive, qn, _, _) = TestProblems.TrainIn(EmbeddingMode.Naive, spec);
        var (sub, qs, _, _) = TestProblems.TrainIn(EmbeddingMode.Subspace, spec);
        Assert.That(sub.Curve, Has.Count.EqualTo(25));
        TestProblems.AssertSameTrajectory(naive, sub, qn, qs);
        Assert.That(naive.Curve[^1].RobustLoss, Is.LessThan(naive.Curve[1].RobustLoss), "training made progress");
        Assert.That(sub.ZeroGradientSteps, Is.EqualTo(naive.ZeroGradientSteps));
    }

    [Test]
    public void Same_seed_is_bit_identical_and_different_seeds_differ()
    {
        var spec = TestProblems.Small(iterations: 5);
        var a = Simulator.Run(spec);
        var b = Simulator.Run(spec);
        Assert.That(b.Training.Curve, Is.EqualTo(a.Training.Curve));
        Assert.That(b.Evaluation, Is.EqualTo(a.Evaluation));
        Assert.That(b.LearningRate, Is.EqualTo(a.LearningRate));

        var d1 = spec.Data.Realize(1).Training.X.Data;
        var d2 = spec.Data.Realize(2).Training.X.Data;
        Assert.That(d1.SequenceEqual(d2), Is.False, "different seeds → different data");
        Assert.That(spec.Data.Realize(1).Training.X.Data.SequenceEqual(d1), "same seed → same data");
        var c = Simulator.Run(spec with { Seed = spec.Seed + 1 });
        Assert.That(c.Training.Curve.Select(p => p.RobustLoss), Is.Not.EqualTo(a.Training.Curve.Select(p => p.RobustLoss)));
    }

    [Test]
    public void Absurd_step_size_is_reported_as_divergence_not_garbage()
    {
        var r = Simulator.Run(TestProblems.Small(n: 100, iterations: 50) with { LearningRate = 1e8 });
        Assert.That(r.Diverged);
        Assert.That(r.Training.Divergence!.Reason, Does.Contain("step size"));
        Assert.That(r.Evaluation, Is.Null, "no evaluation of a diverged network");
        Assert.That(r.Training.IterationsRun, Is.LessThan(50));
        Assert.That(r.Training.Curve.All(p => double.IsFinite(p.RobustLoss)));
    }

    [Test]
    public void Gaussian_mixture_has_the_stated_law()
    {
        // Fixed seed: deterministic. Each of the 4 checks allows 5 SE, so another seed would fail with probability ≈ 4 × 2Φ(−5) = 2.3e-6.
        var g = new GaussianMixture(4000, 10, 3, 2.0, 0.2);
        var set = g.Realize(5).Training;
        double flips = set.FlippedCount / 4000.0;
        Assert.That(flips, Is.EqualTo(0.2).Within(5 * Math.Sqrt(0.2 * 0.8 / 4000)));
        double meanSignal = Enumerable.Range(0, 4000).Average(i => set.YClean[i] * set.X[i, 0]);
        Assert.That(meanSignal, Is.EqualTo(2.0).Within(5 / Math.Sqrt(4000)));
        double meanOther = Enumerable.Range(0, 4000).Average(i => set.X[i, 1] * set.X[i, 1]);
        Assert.That(meanOther, Is.EqualTo(1.0).Within(5 * Math.Sqrt(2.0 / 4000)));
        Assert.That(set.YClean.Count(v => v == 1) / 4000.0, Is.EqualTo(0.5).Within(5 * Math.Sqrt(0.25 / 4000)));
    }

    [Test]
    public void Test_points_do_not_depend_on_the_chunk_size()
    {
        var data = new GaussianMixture(5, 37, 11, 1.5, 0.1).Realize(3);
        var a = data.TestChunks(5).SelectMany(c => c.X.Data.Take(c.Count * 11)).ToArray();
        var b = data.TestChunks(64).SelectMany(c => c.X.Data.Take(c.Count * 11)).ToArray();
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void A_Gaussian_run_records_M_and_sigma_in_input_units()
    {
        var r = Simulator.Run(TestProblems.Small(iterations: 2) with { Data = new GaussianMixture(20, 50, 200, 3, 0.1, Sigma: 2) });
        Assert.That((r.SignalNorm, r.NoiseScale), Is.EqualTo(((double?)3.0, (double?)2.0)), "the mixture's ||μ|| and σ, not M/σ");
    }

    [Test]
    public void Bad_settings_name_the_field()
    {
        var ex = Assert.Throws<InvalidInputException>(() => Simulator.Run(TestProblems.Small() with { Width = 7 }))!;
        Assert.That(ex.Field, Is.EqualTo("m"));
        ex = Assert.Throws<InvalidInputException>(() => Simulator.Run(TestProblems.Small() with { Data = new GaussianMixture(10, 10, 20, 1, 0.7) }))!;
        Assert.That(ex.Field, Is.EqualTo("beta"));
        ex = Assert.Throws<InvalidInputException>(() => Simulator.Run(TestProblems.Small() with { TrainAttack = new PgdSettings(-1) }))!;
        Assert.That(ex.Field, Is.EqualTo("pgdSteps"), "the setting that sets it");
        ex = Assert.Throws<InvalidInputException>(() => Simulator.Run(TestProblems.Small() with { EvalAttack = new PgdSettings(Restarts: 0) }))!;
        Assert.That(ex.Field, Is.EqualTo("evalPgdRestarts"));
    }
}

public class ClassMeansTests
{
    [Test]
    public void On_a_Gaussian_mixture_the_estimates_recover_M_and_sigma()
    {
        // n = 4000 in d = 50: M̂ → M (bias ≈ σ²·d/(2n·M) is small here) and σ̂ → σ.
        // Fixed seed: deterministic. M̂ − M ≈ N(0.008, 0.032²) (the mean difference's noise along μ, σ·√(1/2000 + 1/2000)/2,
        // and its 49 other coordinates as bias, 49·0.004/24); ±0.16 is 4.8 SE above and 5.3 below, so another seed would fail
        // with probability ≈ 1e-6 (it was ±0.1, 2.9 SE: 2e-3). σ̂ has sd ≈ σ/√(2·n·d) = 0.0032: ±0.02 is 6.3 SE (3e-10).
        var set = new Data.GaussianMixture(4000, 1, 50, Mu: 3, Beta: 0, Sigma: 2).Realize(1).Training;
        Assert.That(Data.ClassMeans.HalfDistance(set), Is.EqualTo(3).Within(0.16));
        Assert.That(Data.ClassMeans.NoiseScale(set.X, set.YClean, 50), Is.EqualTo(2).Within(0.02));
        Assert.That(double.IsNaN(Data.ClassMeans.NoiseScale(set.X, new sbyte[4000], 50)), "one class only");
    }
}
