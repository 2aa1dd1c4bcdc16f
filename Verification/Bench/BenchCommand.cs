using System.CommandLine;
using Verify.Bounds;
using Verify.Verification.Cli;

namespace Verify.Verification.Bench;

/// <summary>
/// `verify bench`: seconds per adversarial GD iteration in Verify and in the PyTorch baseline
/// (shared/baselines/pytorch_reference.py) on the same configuration, run alternately so that a
/// drift in machine speed hits both sides.
/// </summary>
public static class BenchCommand
{
    public const string BaselineFileName = "pytorch_reference.py";
    public const string BaselineEnvironmentVariable = "VERIFY_BASELINE";

    public static Command Create(CliContext ctx)
    {
        var d = OptionFactory.Integer("--d", "d, input dimension (coordinates, integer ≥ 1; 1e6-style accepted)", 1000, "an integer ≥ 1");
        var mu = OptionFactory.Number("--mu", "M = ||μ||, signal norm (in noise standard deviations, ≥ 0)", 5, "a finite number ≥ 0");
        var alpha = OptionFactory.Number("--alpha", "α, l2 attack budget of the training PGD (same units as ||μ||, ≥ 0)", 0.5, "a finite number ≥ 0");
        var iters = OptionFactory.Integer("--iters", "T, GD iterations per timed run (count, ≥ 1)", 20, "an integer ≥ 1");
        var pgd = OptionFactory.Integer("--pgd", "K, PGD steps per GD iteration (count, ≥ 0)", 20, "an integer ≥ 0");
        var n = OptionFactory.Integer("--n", "n, number of training samples (count, ≥ 1)", 100, "an integer ≥ 1");
        var m = OptionFactory.Integer("--m", "m, network width (neurons, even integer ≥ 2)", 1000, "an even integer ≥ 2");
        var lr = OptionFactory.OptionalNumber("--lr", "η, learning rate for both sides (> 0); default: Verify's rule 2/λ_max(X·Xᵀ/n) on Verify's data", "a finite number > 0");
        var repeats = OptionFactory.Integer("--repeats", "timed runs per side, alternating Verify, PyTorch, Verify, … (count, ≥ 1)", 3, "an integer ≥ 1");
        var float32 = OptionFactory.Flag("--float32", "single precision on both sides (default: double)");
        var python = new Option<string>("--python")
        {
            Description = "Python interpreter that runs the baseline (needs torch)",
            DefaultValueFactory = _ => "/usr/bin/python3",
        };
        var baseline = new Option<string?>("--baseline")
        {
            Description = $"path to {BaselineFileName}; default: ../shared/baselines/{BaselineFileName} from the repository root, " +
                          $"then from the current directory, then ${BaselineEnvironmentVariable}",
        };
        var json = OptionFactory.Flag("--json", "print a machine-readable JSON document instead of tables");

        var cmd = new Command("bench", "Time one adversarial GD iteration (PGD-K attack + full-batch step) in Verify and in the PyTorch " +
            "baseline on the same configuration, alternately, and report medians and the ratio PyTorch/Verify. Defaults: the paper's " +
            "reference cell d = 1000, M = 5, α = 0.5 with n = 100, m = 1000, PGD-20. Without python3 or torch, Verify's own timing is reported.")
        {
            d, mu, alpha, iters, pgd, n, m, lr, repeats, float32, python, baseline, json,
        };
        cmd.SetAction(p =>
        {
            var settings = new BenchSettings(
                N: p.GetValue(n), D: p.GetValue(d), Width: p.GetValue(m), Mu: p.GetValue(mu), Alpha: p.GetValue(alpha),
                Iterations: p.GetValue(iters), PgdSteps: p.GetValue(pgd), LearningRate: p.GetValue(lr), Repeats: p.GetValue(repeats),
                Float32: p.GetValue(float32), Python: p.GetValue(python) ?? "/usr/bin/python3", Baseline: p.GetValue(baseline)).Validate();
            var report = new BenchRunner(settings, ctx.Error).Run();
            if (p.GetValue(json)) ctx.Out.WriteLine(BenchOutput.Json(report, ctx.Version));
            else BenchOutput.Render(report, ctx.Console, ctx.Version);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

/// <summary>One configuration, the same on both sides.</summary>
public sealed record BenchSettings(int N, int D, int Width, double Mu, double Alpha, int Iterations, int PgdSteps,
    double? LearningRate, int Repeats, bool Float32, string Python, string? Baseline)
{
    /// <summary>β of the data on both sides (the baseline's default).</summary>
    public const double Beta = 0.1;
    /// <summary>Test points: not timed, kept small so that each run stays short.</summary>
    public const int TestPoints = 200;
    public const int Seed = 0;

    public BenchSettings Validate()
    {
        if (N < 1) throw new InvalidInputException("n", N.ToString(), "an integer ≥ 1");
        if (D < 1) throw new InvalidInputException("d", D.ToString(), "an integer ≥ 1");
        if (Width < 2 || Width % 2 != 0) throw new InvalidInputException("m", Width.ToString(), "an even integer ≥ 2");
        if (!(Mu >= 0) || !double.IsFinite(Mu)) throw new InvalidInputException("mu", Fmt.Inv(Mu), "a finite number ≥ 0");
        if (!(Alpha >= 0) || !double.IsFinite(Alpha)) throw new InvalidInputException("alpha", Fmt.Inv(Alpha), "a finite number ≥ 0");
        if (Iterations < 1) throw new InvalidInputException("iters", Iterations.ToString(), "an integer ≥ 1");
        if (PgdSteps < 0) throw new InvalidInputException("pgd", PgdSteps.ToString(), "an integer ≥ 0");
        if (LearningRate is { } eta && !(eta > 0 && double.IsFinite(eta))) throw new InvalidInputException("lr", Fmt.Inv(eta), "a finite number > 0");
        if (Repeats < 1) throw new InvalidInputException("repeats", Repeats.ToString(), "an integer ≥ 1");
        if (string.IsNullOrWhiteSpace(Python)) throw new InvalidInputException("python", "''", "a path to a Python interpreter");
        if (Baseline is { } b && !File.Exists(b)) throw new InvalidInputException("baseline", b, $"an existing file (the path to {BenchCommand.BaselineFileName})");
        return this;
    }

    public string PrecisionName => Float32 ? "f32" : "f64";
}
