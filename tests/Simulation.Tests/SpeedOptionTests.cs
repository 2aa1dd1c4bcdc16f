using Verify.Simulation.Settings;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;
using Verify.Simulation.Training;

namespace Verify.Simulation.Tests;

/// <summary>The throughput options keep results where the exact f64 path puts them.</summary>
public class SpeedOptionTests
{
    private static RunSpec Reference => new()
    {
        Data = new GaussianMixture(N: 100, NTest: 2000, D: 1000, Mu: 5, Beta: 0.1),
        Alpha = 0.5,
        Width = 200,
        Iterations = 100,
        TrainAttack = new PgdSettings(10),
        EvalAttack = new PgdSettings(10),
        Seed = 77,
    };

    [Test]
    [Category(Categories.Slow)]
    public void Single_precision_stays_close_to_double_on_a_reference_cell()
    {
        var f64 = Simulator.Run(Reference);
        var f32 = Simulator.Run(Reference with { Precision = Precision.Single });
        Assert.That(f32.Precision, Is.EqualTo("f32"));
        // Bounds, stated: robust training loss within 1% relative, every curve point within 1%,
        // test error rates within 0.005 absolute (10 of 2000 points).
        var (a, b) = (f64.Evaluation!, f32.Evaluation!);
        Assert.That(b.RobustTrainLoss, Is.EqualTo(a.RobustTrainLoss).Within(0.01 * a.RobustTrainLoss));
        for (int i = 0; i < f64.Training.Curve.Count; i++)
            Assert.That(f32.Training.Curve[i].RobustLoss, Is.EqualTo(f64.Training.Curve[i].RobustLoss).Within(0.01 * f64.Training.Curve[i].RobustLoss));
        Assert.That(b.CleanTest.Rate, Is.EqualTo(a.CleanTest.Rate).Within(0.005));
        Assert.That(b.RobustTest.Rate, Is.EqualTo(a.RobustTest.Rate).Within(0.005));
        Assert.That(b.RobustTrain.Errors, Is.EqualTo(a.RobustTrain.Errors));
    }

    /// <summary>
    /// On OpenBLAS where it can run here (ManagedGemmTests checks the managed kernel), named rather than taken from
    /// auto, whose choice a timing calibration makes. The count is this thread's own, so no other thread adds to it.
    /// </summary>
    [Test]
    public void Training_iterations_allocate_nothing()
    {
        IGemm gemm = OpenBlas.TryLoad() is { } ob && OpenBlasCores.Unsupported(ob.CoreName) is null ? ob : ManagedGemm.Instance;
        // Allocation of a 2-iteration and a 12-iteration run differ by the per-iteration allocation × 10.
        var problem = Simulator.Realize(Reference with { Width = 40, Data = new GaussianMixture(30, 10, 200, 3, 0.1) }, gemm);
        long Allocated(int iterations)
        {
            var net = TwoLayerNetwork<double>.Symmetric(problem.InitialHalfRows, Activation.LeakyRelu());
            var trainer = new AdversarialTrainer<double>(gemm);
            var settings = new TrainingSettings(iterations, 0.01, RecordEvery: 1000);
            trainer.Train(net, problem.TrainX, problem.TrainY, new ThreatModel(0.3, new PgdSettings(5), problem.AmbientDimension), settings, new Rng(1)); // warm-up
            net = TwoLayerNetwork<double>.Symmetric(problem.InitialHalfRows, Activation.LeakyRelu());
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Train(net, problem.TrainX, problem.TrainY, new ThreatModel(0.3, new PgdSettings(5), problem.AmbientDimension), settings, new Rng(1));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        // Best of three: a one-off allocation (the JIT tiering a method up mid-run) is not per iteration.
        long small = Enumerable.Range(0, 3).Min(_ => Allocated(2)), large = Enumerable.Range(0, 3).Min(_ => Allocated(12));
        Assert.That((large - small) / 10.0, Is.LessThan(64), $"bytes per iteration (2 its: {small} B, 12 its: {large} B)");
    }

    [Test]
    [Category(Categories.Slow)]
    public void Convergence_stop_and_warm_start_use_fewer_steps_with_a_small_gap()
    {
        var spec = Reference with { Iterations = 60, TrainAttack = new PgdSettings(20) };
        var full = Simulator.Run(spec);
        var stopped = Simulator.Run(spec with { TrainAttack = new PgdSettings(20, StopTolerance: 1e-3, WarmStart: true) });
        Assert.That(full.Training.MeanPgdStepsPerIteration, Is.EqualTo(20));
        Assert.That(stopped.Training.MeanPgdStepsPerIteration, Is.LessThan(20));
        var gap = stopped.Evaluation!.TrainingAttackGap!;
        Assert.That(gap.ReferenceAttackLoss, Is.GreaterThanOrEqualTo(gap.TrainingAttackLoss - 1e-9), "the long attack is at least as strong");
        Assert.That(gap.Gap, Is.LessThan(0.1 * gap.ReferenceAttackLoss + 1e-3), "the stopped attack is within 10% of the reference loss");
        Assert.That(full.Evaluation!.TrainingAttackGap!.MeanTrainingSteps, Is.EqualTo(20));
    }
}
