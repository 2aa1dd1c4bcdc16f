using Verify.Simulation.Settings;
using Verify.Simulation.Files;
using System.Globalization;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Kernels;
using Verify.Simulation.Runs;
using Verify.Verification.Output;

using Verify.Verification.Results;
using Verify.Verification.Text;

namespace Verify.Verification.Benchmarking;

/// <summary>Seconds per GD iteration over the timed runs of one side.</summary>
internal sealed record Samples(IReadOnlyList<double> Values)
{
    public int Count => Values.Count;
    public double Median
    {
        get
        {
            if (Values.Count == 0) return double.NaN;
            var s = Values.Order().ToArray();
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
    }
    public double Min => Values.Count == 0 ? double.NaN : Values.Min();
    public double Max => Values.Count == 0 ? double.NaN : Values.Max();
}

/// <summary>The machine (as every result records it) and the software on both sides.</summary>
internal sealed record BenchEnvironment(EnvironmentInfo Machine, string? OpenBlasCoreType,
    string Precision, string VerifyVersion, string Python, string? PythonVersion, string? TorchVersion)
{
    public static BenchEnvironment Capture(BenchSettings s, string verifyVersion, string python, PythonProbe? probe) => new(
        EnvironmentInfo.Current(Backend.Describe(Backend.Default)), Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 } c ? c : null,
        s.PrecisionName, verifyVersion, python, probe?.PythonVersion, probe?.TorchVersion);
}

/// <summary>Everything `verify bench` measured.</summary>
internal sealed record BenchReport(
    BenchSettings Settings,
    double LearningRate,
    double InitScale,
    int Threads,
    string Mode,
    int BasisDimension,
    Samples Verify,
    Samples PyTorch,
    string? BaselinePath,
    string? BaselineUnavailable,
    BenchEnvironment Environment,
    IReadOnlyList<string> Notes)
{
    /// <summary>Median PyTorch seconds per iteration over median Verify seconds per iteration; null without baseline numbers.</summary>
    public double? Ratio => PyTorch.Count > 0 && Verify.Count > 0 && Verify.Median > 0 ? PyTorch.Median / Verify.Median : null;
}

/// <summary>Runs Verify and the baseline alternately and collects the per-iteration times.</summary>
internal sealed class BenchRunner(BenchSettings settings, TextWriter progress)
{
    public const int WarmupIterations = 5;

    public BenchReport Run()
    {
        var s = settings;
        var notes = new List<string>();
        if (OptimizationsDisabled(typeof(Simulator).Assembly))
            notes.Add("the simulator was built without optimizations (Debug configuration): Verify's times are pessimistic; run with -c Release");
        int threads = Backend.Threads;

        // Baseline: interpreter, script, torch. Each missing piece is a note, never an error.
        string? unavailable = null;
        string? python = PythonBaseline.ResolveExecutable(s.Python);
        string? script = PythonBaseline.Locate(s.Baseline, out var searched);
        PythonProbe? probe = null;
        if (python is null) unavailable = $"python interpreter '{s.Python}' not found";
        else if (script is null) unavailable = $"{PythonBaseline.FileName} not found (looked in {string.Join(", ", searched)}; " +
                                                $"pass --baseline or set ${PythonBaseline.EnvironmentVariable})";
        else if (ScriptProblem(script) is { } problem) unavailable = problem;
        else
        {
            probe = PythonBaseline.Probe(python);
            if (probe is { TorchVersion: null } && ImportsTorch(script))
                unavailable = $"torch is not importable by {python} ({probe.TorchError}); install it with: {PythonBaseline.TorchInstallHint}";
        }
        if (unavailable is not null) progress.WriteLine($"baseline unavailable: {unavailable}; timing Verify only");

        // Warm-up: JIT and first-touch costs, and Verify's learning rate when none was given.
        progress.WriteLine($"warm-up: Verify, {Math.Min(WarmupIterations, s.Iterations)} iteration(s), not timed");
        var warm = Simulator.Run(Spec(Math.Min(WarmupIterations, s.Iterations), s.LearningRate));
        double eta = s.LearningRate ?? warm.LearningRate;
        double omega = warm.InitScale;

        var verify = new List<double>();
        var torch = new List<double>();
        for (int rep = 1; rep <= s.Repeats; rep++)
        {
            var r = Simulator.Run(Spec(s.Iterations, eta));
            string tag = $"repeat {rep}/{s.Repeats}";
            if (r.Diverged)
                notes.Add($"Verify's training diverged in {tag} ({r.Training.Divergence!.Reason}); its time is per iteration actually run");
            if (r.Timings.Iterations > 0)
            {
                verify.Add(r.Timings.SecondsPerIteration);
                progress.WriteLine($"{tag}: Verify  {Ms(r.Timings.SecondsPerIteration)} ms/iteration (training {Fmt.Num(r.Timings.TrainingSeconds)} s for {r.Timings.Iterations} iterations)");
            }
            else progress.WriteLine($"{tag}: Verify  ran no iteration");

            if (unavailable is not null) continue;
            var b = PythonBaseline.RunOnce(python!, script!, BaselineArguments(eta, omega, threads));
            if (b.TrainSeconds is { } ts)
            {
                torch.Add(ts / s.Iterations);
                progress.WriteLine($"{tag}: PyTorch {Ms(ts / s.Iterations)} ms/iteration (train_seconds {Fmt.Num(ts)} for {s.Iterations} iterations)");
            }
            else
            {
                unavailable = $"baseline failed: {b.Failure}";
                progress.WriteLine($"{tag}: PyTorch {unavailable}; no further baseline runs");
            }
        }

        return new BenchReport(s, eta, omega, threads, warm.Mode, warm.BasisDimension, new Samples(verify), new Samples(torch),
            script, unavailable, BenchEnvironment.Capture(s, Simulator.Version, python ?? s.Python, probe), notes);
    }

    private RunSpec Spec(int iterations, double? eta) => new()
    {
        Data = new GaussianMixture(settings.N, BenchSettings.TestPoints, settings.D, settings.Mu, BenchSettings.Beta),
        Alpha = settings.Alpha,
        Width = settings.Width,
        LearningRate = eta,
        Iterations = iterations,
        TrainAttack = new PgdSettings(settings.PgdSteps),
        // Evaluation is not timed; no attack keeps it short.
        EvalAttack = new PgdSettings(0),
        Precision = settings.Float32 ? Precision.Single : Precision.Double,
        Seed = BenchSettings.Seed,
    };

    /// <summary>The script's options for the same configuration (see pytorch_reference.py's argparse).</summary>
    public IReadOnlyList<string> BaselineArguments(double eta, double omega, int threads)
    {
        var s = settings;
        var args = new List<string>
        {
            "--n", I(s.N), "--d", s.D.ToString(System.Globalization.CultureInfo.InvariantCulture), "--m", I(s.Width), "--mu", Fmt.Inv(s.Mu), "--alpha", Fmt.Inv(s.Alpha),
            "--beta", Fmt.Inv(BenchSettings.Beta), "--iters", I(s.Iterations), "--pgd", I(s.PgdSteps),
            "--lr", Fmt.Inv(eta), "--init", Fmt.Inv(omega), "--eval-pgd", "0", "--ntest", I(BenchSettings.TestPoints),
            "--seed", I(BenchSettings.Seed), "--threads", I(threads),
        };
        if (s.Float32) args.Add("--float32");
        return args;
    }

    /// <summary>True for an assembly compiled in Debug (the JIT then does not optimize it).</summary>
    public static bool OptimizationsDisabled(System.Reflection.Assembly assembly)
        => assembly.GetCustomAttributes(typeof(System.Diagnostics.DebuggableAttribute), false)
            .OfType<System.Diagnostics.DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled);

    /// <summary>Why the script cannot be the baseline (a FIFO, a device, a folder, a file far too large for a script), or null.</summary>
    private static string? ScriptProblem(string script)
    {
        try
        {
            Simulation.Files.InputFile.OpenRead(script, "the baseline script", Simulation.Files.InputLimits.BaselineScript).Dispose();
            return null;
        }
        catch (InvalidInputException ex) { return ex.Message; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return $"the baseline script '{script}' cannot be read ({InputFile.Reason(ex)})"; }
    }

    private static bool ImportsTorch(string script)
    {
        try { return Simulation.Files.InputFile.ReadAllText(script, "the baseline script", Simulation.Files.InputLimits.BaselineScript).Contains("import torch", StringComparison.Ordinal); }
        catch (IOException) { return true; }
        catch (UnauthorizedAccessException) { return true; }
        catch (InvalidInputException) { return true; }
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Ms(double seconds) => (seconds * 1e3).ToString("F3", CultureInfo.InvariantCulture);
}
