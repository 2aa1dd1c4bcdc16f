using Verify.Simulation.Settings;
using BenchmarkDotNet.Attributes;
using Verify.Simulation.Attack;
using Verify.Simulation.Certification;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;
using Verify.Simulation.Training;

namespace Verify.Benchmarks;

/// <summary>
/// What certifying a chunk of 256 test points costs beside attacking it (the evaluation's PGD-50, the
/// baseline of the ratio), on a network trained for 100 iterations at the paper's sizes (n = 100, m = 1000)
/// in subspace mode (R = 600) at d = 1000, M = 5 and α/M = 0.1 or 0.5 (more unstable neurons, more
/// undecided points for the slope optimization). Training is in the global setup, not measured.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class CertificationBenchmarks
{
    private const int Rows = 256;

    [Params(0.1, 0.5)]
    public double AlphaOverMu { get; set; }

    private TwoLayerNetwork<double> _net = null!;
    private CoordinateProblem<double> _problem = null!;
    private Pgd<double> _pgd = null!;
    private RobustnessCertifier<double> _certifier = null!;
    private AttackResult<double> _found = null!;
    private double[] _lower = null!;
    private double _alpha;
    private int[] _undecided = [];

    [GlobalSetup]
    public void Setup()
    {
        _alpha = AlphaOverMu * Cases.Mu;
        var spec = new RunSpec
        {
            Data = new GaussianMixture(Cases.N, Rows, 1000, Cases.Mu, Cases.Beta),
            Alpha = _alpha, Width = Cases.Width, Iterations = 100, TrainAttack = new PgdSettings(10), Mode = EmbeddingMode.Subspace, Seed = 3,
        };
        var gemm = Backend.Default;
        _problem = Simulator.Realize(spec, gemm);
        _net = TwoLayerNetwork<double>.Symmetric(_problem.InitialHalfRows, spec.Activation);
        new AdversarialTrainer<double>(gemm).Train(_net, _problem.TrainX, _problem.TrainY, new ThreatModel(_alpha, spec.TrainAttack, _problem.AmbientDimension),
            new TrainingSettings(spec.Iterations, DefaultRules.LearningRate(_problem.TrainX, Keys.LearningRateFactor.Default)), SeedStreams.For(spec.Seed, RandomStream.TrainingAttack));
        _pgd = new Pgd<double>(new MarginKernel<double>(gemm));
        _certifier = new RobustnessCertifier<double>(gemm);
        _found = new AttackResult<double>(Rows, _problem.R);
        _lower = new double[Rows];
        Attack();
        PlainBound();
        _undecided = Enumerable.Range(0, Rows).Where(i => _lower[i] <= 0 && _found.Margins[i] > 0).ToArray();
    }

    [Benchmark(Baseline = true, Description = "attack (PGD-50)")]
    public void Attack()
        => _pgd.Attack(_net, _problem.TestX.Data, Rows, _problem.TestY, new ThreatModel(_alpha, new PgdSettings(50), _problem.AmbientDimension), new Rng(1), _found);

    [Benchmark(Description = "certify: plain bound")]
    public void PlainBound() => _certifier.LowerBounds(_net, _problem.TestX.Data, Rows, _problem.TestY, _alpha, _lower);

    [Benchmark(Description = "certify: 20 slope steps on the undecided points")]
    public double OptimizedBound()
    {
        double sum = 0;
        int r = _problem.R;
        foreach (int i in _undecided)
            sum += _certifier.OptimizedLowerBound(_net, _problem.TestX.Data.AsSpan(i * r, r), _problem.TestY[i], _alpha, Keys.CertifySteps.Default);
        return sum;
    }
}
