using Verify.Simulation.Settings;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Filters;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Kernels;
using Verify.Simulation.Runs;

namespace Verify.Benchmarks;

/// <summary>
/// One full paper cell per d and mode: n = 100, nTest = 2000, m = 1000, T = 1000, PGD-20 training,
/// the default evaluation attack, f64, through <see cref="Simulator.Run"/> (setup, training and
/// evaluation all counted). A minute or more each: opt-in with <c>--anyCategories PaperCell</c>.
/// The run's own split (setup / training / evaluation) is printed after each cell.
/// </summary>
[BenchmarkCategory(Category)]
[Config(typeof(Config))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 0, iterationCount: 1)]
public class PaperCellBenchmarks
{
    public const string Category = "PaperCell";
    public const int NTest = 2000, Iterations = 1000;

    private sealed class Config : ManualConfig
    {
        public Config() => AddFilter(new SimpleFilter(b => Cases.SkipReason((int)b.Parameters["D"], (EmbeddingMode)b.Parameters["Mode"], NTest) is null));
    }

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int D { get; set; }

    [Params(EmbeddingMode.Subspace, EmbeddingMode.RotationInvariant, EmbeddingMode.Naive)]
    public EmbeddingMode Mode { get; set; }

    private RunResult? _last;

    [Benchmark]
    public RunResult Cell()
    {
        var spec = new RunSpec
        {
            Data = new GaussianMixture(Cases.N, NTest, D, Cases.Mu, Cases.Beta),
            Alpha = Cases.Alpha,
            Width = Cases.Width,
            Iterations = Iterations,
            TrainAttack = new PgdSettings(20),
            Mode = Mode,
            Precision = Precision.Double,
            Seed = 11,
        };
        return _last = Simulator.Run(spec, gemm: Backend.Default);
    }

    [GlobalCleanup]
    public void Report()
    {
        if (_last is not { } r) return;
        var t = r.Timings;
        Console.WriteLine($"// paper cell {Cases.Label(D, Mode)}: setup {t.SetupSeconds:F1} s, training {t.TrainingSeconds:F1} s " +
            $"({t.SecondsPerIteration * 1e3:F1} ms/iteration), evaluation {t.EvaluationSeconds:F1} s; R = {r.BasisDimension}, {r.Backend}" +
            (r.Evaluation is { } e ? $"; clean test error {e.CleanTest.Rate:P1}, robust test error {e.RobustTest.Rate:P1}" : "; diverged"));
    }
}
