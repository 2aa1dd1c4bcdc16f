using Verify.Simulation.Settings;
using System.Diagnostics;
using System.Numerics;
using System.Reflection;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Evaluation;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Training;

namespace Verify.Simulation.Runs;

/// <summary>The public entry point: one <see cref="RunSpec"/> in, one <see cref="RunResult"/> out.</summary>
public static class Simulator
{
    public static string Version => Backend.Version;

    public static RunResult Run(RunSpec spec, IProgress<RunProgress>? progress = null, CancellationToken cancel = default, IGemm? gemm = null)
        => Run(spec, keepModel: false, out _, progress, cancel, gemm);

    /// <summary>
    /// As <see cref="Run(RunSpec, IProgress{RunProgress}?, CancellationToken, IGemm?)"/>, and also hands back the trained
    /// network with the training and test points in the run's coordinates (<see cref="TrainedModel"/>), for an export;
    /// null when training diverged (its weights are then not a model). The same run, the same result: keeping the model
    /// changes nothing it computes.
    /// </summary>
    public static RunResult Run(RunSpec spec, out TrainedModel? model, IProgress<RunProgress>? progress = null, CancellationToken cancel = default, IGemm? gemm = null)
        => Run(spec, keepModel: true, out model, progress, cancel, gemm);

    private static RunResult Run(RunSpec spec, bool keepModel, out TrainedModel? model, IProgress<RunProgress>? progress, CancellationToken cancel, IGemm? gemm)
    {
        spec.Validate();
        Resources.Check(spec, Resources.AvailableBytes);
        gemm ??= Backend.Default;
        var clock = Stopwatch.StartNew();
        progress?.Report(new RunProgress("setup", 0, spec.Iterations, double.NaN));
        var problem = Realize(spec, gemm);
        // α given as a fraction of M̂: M̂ is the realized training set's, fixed from here on (the result records both).
        spec = spec.ResolveAlpha(problem.SignalNorm);
        double eta = spec.LearningRate ?? DefaultRules.LearningRate(problem.TrainX, spec.LearningRateFactor);
        if (!(eta > 0 && double.IsFinite(eta)))
            // The rule's η = κ/λ_max(X·Xᵀ/n) is derived: name what the user set.
            throw new InvalidInputException($"the default step size κ/λ_max(X·Xᵀ/n) is {eta:G4} for these data (d = {spec.Data.Dimension}"
                + (spec.Data is GaussianMixture gm ? $", mu = {gm.Mu:G4}, sigma = {gm.Sigma:G4}" : "")
                + $", learningRateFactor = {spec.LearningRateFactor:G4}): their scale is out of range for double precision; use smaller mu/sigma or set learningRate");
        double setup = clock.Elapsed.TotalSeconds;
        if (spec.Precision == Precision.Double)
        {
            var result = Run(spec, problem, eta, setup, gemm, progress, cancel, keepModel, out var kept);
            model = kept;
            return result;
        }
        else
        {
            var result = Run(spec, problem.Convert<float>(), eta, setup, gemm, progress, cancel, keepModel, out var kept);
            model = kept;
            return result;
        }
    }

    /// <summary>
    /// The mode that <see cref="EmbeddingMode.Auto"/> resolves to for this spec: the cheapest exact one.
    /// A training attack that starts at random needs the full R^d (its start's component outside the
    /// basis enters the weight update, see <see cref="RunSpec.TrainingAttackStartsAtRandom"/>), so naive;
    /// otherwise naive when d ≤ n + m/2, else rotation-invariant for Gaussian data it represents (isotropic Gaussian noise,
    /// a label rule reading only ξ_1) and subspace for the rest.
    /// </summary>
    public static EmbeddingMode ResolveMode(RunSpec spec)
    {
        if (spec.Mode != EmbeddingMode.Auto) return spec.Mode;
        if (spec.TrainingAttackStartsAtRandom) return EmbeddingMode.Naive;
        int k = spec.Width / 2 + spec.Data.TrainingCount;
        if (spec.Data.Dimension <= k) return EmbeddingMode.Naive;
        return spec.Data is GaussianMixture { RotationInvariant: true } ? EmbeddingMode.RotationInvariant : EmbeddingMode.Subspace;
    }

    public static double InitScale(RunSpec spec) => spec.InitScale ?? DefaultRules.InitScale(spec.Data.Dimension);

    /// <summary>Realizes data and initialization from the run's seed and expresses them in the mode's coordinates.</summary>
    internal static CoordinateProblem<double> Realize(RunSpec spec, IGemm gemm)
    {
        var mode = ResolveMode(spec);
        if (mode == EmbeddingMode.RotationInvariant)
            return spec.Data is GaussianMixture g
                ? RotationInvariantSampler.Sample(g, spec.Width, InitScale(spec), spec.Seed)
                : throw InvalidInputException.MustBe(Keys.Mode.Name, Keys.Mode.Format(EmbeddingMode.RotationInvariant), "naive or subspace for non-Gaussian data (rotation invariance is a property of the Gaussian mixture)");
        var data = spec.Data.Realize(spec.Seed);
        var init = InitialRows(spec.Seed, spec.Width / 2, data.Dimension, InitScale(spec));
        return mode == EmbeddingMode.Naive ? Embedder.Naive(data, init) : Embedder.Subspace(data, init, gemm);
    }

    /// <summary>The m/2 distinct initial rows, N(0, ω²·I_d) each, from the run's initialization stream.</summary>
    public static Dense<double> InitialRows(ulong seed, int half, int dimension, double omega)
    {
        var rng = SeedStreams.For(seed, RandomStream.Initialization);
        var rows = new Dense<double>(half, dimension);
        rng.FillNormal(rows.Data, omega);
        return rows;
    }

    private static RunResult Run<T>(RunSpec spec, CoordinateProblem<T> problem, double eta, double setupSeconds, IGemm gemm,
        IProgress<RunProgress>? progress, CancellationToken cancel, bool keepModel, out TrainedModel<T>? model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = TwoLayerNetwork<T>.Symmetric(problem.InitialHalfRows, spec.Activation);
        var trainer = new AdversarialTrainer<T>(gemm);
        var clock = Stopwatch.StartNew();
        int every = Math.Max(1, spec.Iterations / 200);
        var outcome = trainer.Train(net, problem.TrainX, problem.TrainY, new ThreatModel(spec.Alpha, spec.TrainAttack, problem.AmbientDimension),
            new TrainingSettings(spec.Iterations, eta, spec.RecordEvery), SeedStreams.For(spec.Seed, RandomStream.TrainingAttack),
            progress is null ? null : (t, loss) => { if (t % every == 0 || t == spec.Iterations) progress.Report(new RunProgress("training", t, spec.Iterations, loss)); },
            cancel);
        double training = clock.Elapsed.TotalSeconds;

        EvaluationResult? evaluation = null;
        double certifySeconds = 0;
        clock.Restart();
        if (outcome.Divergence is null)
        {
            progress?.Report(new RunProgress("evaluation", spec.Iterations, spec.Iterations, double.NaN));
            evaluation = new Evaluator<T>(gemm).Evaluate(net, problem, new ThreatModel(spec.Alpha, spec.EvalAttack, problem.AmbientDimension),
                SeedStreams.For(spec.Seed, RandomStream.EvaluationAttack), out certifySeconds, spec.TrainAttack, spec.CertifySteps);
        }
        double evalSeconds = clock.Elapsed.TotalSeconds;
        // The arrays themselves, not copies: neither the evaluation nor anything after it changes them.
        model = keepModel && outcome.Divergence is null
            ? new TrainedModel<T>(problem.Mode, problem.AmbientDimension, spec.Activation, net.Weights,
                problem.TrainX, problem.TrainY, problem.TrainYClean, problem.TestX, problem.TestY, problem.TestYClean)
            : null;

        return new RunResult(spec, problem.DatasetName, Keys.Mode.Format(problem.Mode), problem.R,
            typeof(T) == typeof(double) ? "f64" : "f32", Backend.Describe(gemm), Version, eta, InitScale(spec),
            outcome, evaluation, new RunTimings(setupSeconds, training, evalSeconds, outcome.IterationsRun, certifySeconds),
            spec.Data is GaussianMixture g ? g.Mu : problem.SignalNorm,
            spec.Data is GaussianMixture h ? h.Sigma : problem.NoiseScale);
    }
}
