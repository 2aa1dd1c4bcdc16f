using Verify.Simulation.Settings;
using Verify.Simulation.Training;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;

namespace Verify.Simulation.Tests;

/// <summary>Small deterministic problems and networks for the tests.</summary>
internal static class TestProblems
{
    /// <summary>
    /// The managed kernel, named: not <see cref="Backend.Default"/>, whose auto choice is made by a timing calibration
    /// and so can differ between processes and runs (OpenBLAS and the managed kernel round differently, and a training
    /// run or a PGD near-tie amplifies the last bit). <see cref="PinnedKernel"/> pins the default for the whole assembly too.
    /// </summary>
    public static IGemm Gemm => ManagedGemm.Instance;

    public static RunSpec Small(int d = 200, double mu = 3, double alpha = 0.3, int n = 20, int width = 40, int iterations = 20, ulong seed = 11)
        => new()
        {
            Data = new GaussianMixture(n, 50, d, mu, 0.1),
            Alpha = alpha,
            Width = width,
            Iterations = iterations,
            TrainAttack = new Attack.PgdSettings(Steps: 5),
            EvalAttack = new Attack.PgdSettings(Steps: 10),
            Seed = seed,
        };

    /// <summary>A network whose rows are random (not symmetric), so that f and its gradients are generic.</summary>
    public static TwoLayerNetwork<double> RandomNetwork(int width, int dim, Activation act, ulong seed, double scale = 1)
    {
        var rng = new Rng(seed);
        var w = new Dense<double>(width, dim);
        rng.FillNormal(w.Data, scale / Math.Sqrt(dim));
        return new TwoLayerNetwork<double>(w, act);
    }

    public static Dense<double> RandomInputs(int rows, int dim, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new Dense<double>(rows, dim);
        rng.FillNormal(x.Data);
        return x;
    }

    public static sbyte[] RandomLabels(int rows, ulong seed)
    {
        var rng = new Rng(seed);
        return Enumerable.Range(0, rows).Select(_ => (sbyte)rng.NextSign()).ToArray();
    }

    public static double RelativeFrobenius(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double num = 0, den = 0;
        for (int i = 0; i < a.Length; i++) { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i]; }
        return Math.Sqrt(num / den);
    }

    /// <summary>
    /// <paramref name="spec"/> trained in <paramref name="mode"/> by the trainer itself (no evaluation): the outcome, the test
    /// margins and both label vectors, for comparing the exact modes.
    /// </summary>
    public static (TrainingOutcome Outcome, double[] TestMargins, sbyte[] TrainY, sbyte[] TestY) TrainIn(EmbeddingMode mode, RunSpec spec)
    {
        var problem = Simulator.Realize(spec with { Mode = mode }, Gemm);
        NUnit.Framework.Assert.That(problem.Mode, NUnit.Framework.Is.EqualTo(mode));
        var net = TwoLayerNetwork<double>.Symmetric(problem.InitialHalfRows, spec.Activation);
        double eta = DefaultRules.LearningRate(problem.TrainX, 2.0);
        var outcome = new AdversarialTrainer<double>(Gemm).Train(net, problem.TrainX, problem.TrainY,
            new ThreatModel(spec.Alpha, spec.TrainAttack, problem.AmbientDimension), new TrainingSettings(spec.Iterations, eta), SeedStreams.For(spec.Seed, RandomStream.TrainingAttack));
        var q = new double[problem.NTest];
        new MarginKernel<double>(Gemm).Margins(net, problem.TestX.Data, problem.NTest, problem.TestY, q, default);
        return (outcome, q, problem.TrainY, problem.TestY);
    }

    /// <summary>Two exact modes' runs agree: the curve (loss and ‖W − W₀‖ to 10⁻⁹ relative, errors exactly) and the test margins (to 10⁻⁹ of the largest, signs exactly).</summary>
    public static void AssertSameTrajectory(TrainingOutcome naive, TrainingOutcome sub, double[] qn, double[] qs)
    {
        for (int t = 0; t < naive.Curve.Count; t++)
        {
            var a = naive.Curve[t]; var b = sub.Curve[t];
            NUnit.Framework.Assert.That(b.RobustLoss, NUnit.Framework.Is.EqualTo(a.RobustLoss).Within(1e-9 * a.RobustLoss), $"loss at {t}");
            NUnit.Framework.Assert.That(b.WeightDistance, NUnit.Framework.Is.EqualTo(a.WeightDistance).Within(1e-9 * a.WeightDistance + 1e-15), $"||W − W0|| at {t}");
            NUnit.Framework.Assert.That(b.RobustError, NUnit.Framework.Is.EqualTo(a.RobustError), $"robust error at {t}");
            NUnit.Framework.Assert.That(b.CleanError, NUnit.Framework.Is.EqualTo(a.CleanError), $"clean error at {t}");
        }
        double scale = qn.Max(Math.Abs);
        for (int i = 0; i < qn.Length; i++)
        {
            NUnit.Framework.Assert.That(qs[i], NUnit.Framework.Is.EqualTo(qn[i]).Within(1e-9 * scale), $"test margin {i}");
            NUnit.Framework.Assert.That(Math.Sign(qs[i]), NUnit.Framework.Is.EqualTo(Math.Sign(qn[i])), $"test prediction {i}");
        }
    }
}
