using Verify.Simulation.Settings;
using System.Numerics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Kernels;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;
using Verify.Simulation.Training;

namespace Verify.Benchmarks;

/// <summary>
/// One adversarial GD iteration (PGD-20 from zero, then the full-batch step) at the paper's sizes
/// (n = 100, m = 1000) per d, mode and precision. The problem is realized once in the global setup
/// (data, initialization, basis: not counted); each measured call resets the weights to W(0) (not
/// counted) and runs <see cref="ItersPerCall"/> iterations of <see cref="AdversarialTrainer{T}"/>,
/// so the reported time is per iteration.
/// </summary>
[Config(typeof(Config))]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class IterationBenchmarks
{
    public const int ItersPerCall = 5;
    /// <summary>Test points do not enter training; a few keep the realization cheap.</summary>
    public const int NTest = 64;

    private sealed class Config : ManualConfig
    {
        public Config() => AddFilter(new SimpleFilter(b => Skip(b) is null));
    }

    public static string? Skip(BenchmarkCase b)
        => Cases.SkipReason((int)b.Parameters["D"], (EmbeddingMode)b.Parameters["Mode"], NTest);

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int D { get; set; }

    [Params(EmbeddingMode.Subspace, EmbeddingMode.RotationInvariant, EmbeddingMode.Naive)]
    public EmbeddingMode Mode { get; set; }

    [Params(Precision.Double, Precision.Single)]
    public Precision Precision { get; set; }

    private ITrainerHarness _harness = null!;

    public static RunSpec Spec(int d, EmbeddingMode mode, Precision precision, int nTest, int iterations) => new()
    {
        Data = new GaussianMixture(Cases.N, nTest, d, Cases.Mu, Cases.Beta),
        Alpha = Cases.Alpha,
        Width = Cases.Width,
        Iterations = iterations,
        TrainAttack = new PgdSettings(20),
        Mode = mode,
        Precision = precision,
        Seed = 7,
    };

    [GlobalSetup]
    public void Setup()
    {
        var spec = Spec(D, Mode, Precision, NTest, ItersPerCall);
        var gemm = Backend.Default;
        var problem = Simulator.Realize(spec, gemm);
        double eta = DefaultRules.LearningRate(problem.TrainX, Keys.LearningRateFactor.Default);
        _harness = Precision == Precision.Double
            ? new TrainerHarness<double>(spec, problem, eta, gemm)
            : new TrainerHarness<float>(spec, problem.Convert<float>(), eta, gemm);
        Console.WriteLine($"// {Cases.Label(D, Mode)}, {Precision}: R = {problem.R}, η = {eta:G4}, {Backend.Describe(gemm)}");
    }

    [IterationSetup]
    public void ResetWeights() => _harness.Reset();

    [Benchmark(OperationsPerInvoke = ItersPerCall)]
    public int Iteration()
    {
        int run = _harness.Train(ItersPerCall);
        if (run != ItersPerCall) throw new InvalidOperationException($"training stopped after {run} of {ItersPerCall} iterations");
        return run;
    }
}

internal interface ITrainerHarness
{
    void Reset();
    int Train(int iterations);
}

internal sealed class TrainerHarness<T> : ITrainerHarness where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RunSpec _spec;
    private readonly CoordinateProblem<T> _problem;
    private readonly double _eta;
    private readonly AdversarialTrainer<T> _trainer;
    private readonly Simulation.Model.TwoLayerNetwork<T> _net;
    private readonly T[] _w0;

    public TrainerHarness(RunSpec spec, CoordinateProblem<T> problem, double eta, IGemm gemm)
    {
        _spec = spec;
        _problem = problem;
        _eta = eta;
        _trainer = new AdversarialTrainer<T>(gemm);
        _net = Simulation.Model.TwoLayerNetwork<T>.Symmetric(problem.InitialHalfRows, spec.Activation);
        _w0 = (T[])_net.Weights.Data.Clone();
    }

    public void Reset() => _w0.CopyTo(_net.Weights.Data, 0);

    public int Train(int iterations)
    {
        var outcome = _trainer.Train(_net, _problem.TrainX, _problem.TrainY, new ThreatModel(_spec.Alpha, _spec.TrainAttack, _problem.AmbientDimension),
            new TrainingSettings(iterations, _eta, _spec.RecordEvery), SeedStreams.For(_spec.Seed, RandomStream.TrainingAttack));
        return outcome.Divergence is null ? outcome.IterationsRun : outcome.Divergence.Iteration;
    }
}
