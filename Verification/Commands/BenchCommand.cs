using System.CommandLine;
using Verify.Bounds;
using Verify.Verification.Output;
using Verify.Verification.Benchmarking;

namespace Verify.Verification.Commands;

/// <summary>
/// `verify bench`: seconds per adversarial GD iteration in Verify and in the PyTorch baseline
/// (shared/baselines/pytorch_reference.py) on the same configuration, run alternately so that a
/// drift in machine speed hits both sides.
/// </summary>
public static class BenchCommand
{

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
            Description = $"path to {PythonBaseline.FileName}; default: ../shared/baselines/{PythonBaseline.FileName} from the repository root, " +
                          $"then from the current directory, then ${PythonBaseline.EnvironmentVariable}",
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
