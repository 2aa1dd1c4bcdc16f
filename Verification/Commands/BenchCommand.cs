using Verify.Simulation.Settings;
using System.CommandLine;
using Verify.Verification.Output;
using Verify.Verification.Benchmarking;
using Verify.Verification.Settings;

namespace Verify.Verification.Commands;

/// <summary>
/// `verify bench`: seconds per adversarial GD iteration in Verify and in the PyTorch baseline
/// (shared/baselines/pytorch_reference.py) on the same configuration, run alternately so that a
/// drift in machine speed hits both sides.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext ctx)
    {
        // The quantities both sides share are run settings: same names, meanings and ranges as `train`.
        var settingOptions = new SettingOptions(
            [Keys.N, Keys.D, Keys.Width, Keys.Mu, Keys.Alpha, Keys.Iterations, Keys.PgdSteps, Keys.LearningRate, Keys.Precision],
            new Dictionary<Setting, string> { [Keys.Iterations] = "20" });
        var repeats = OptionFactory.Integer("--repeats", "timed runs per side, alternating Verify, PyTorch, Verify, … (count, ≥ 1)", 3, "an integer ≥ 1");
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
            repeats, python, baseline, json, OptionFactory.Blas(),
        };
        settingOptions.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var run = RunSettings.Parse(settingOptions.Values(p), "the command line");
            var settings = new BenchSettings(
                N: run.Get(Keys.N), D: run.Get(Keys.D), Width: run.Get(Keys.Width), Mu: run.Get(Keys.Mu), Alpha: run.Get(Keys.Alpha),
                Iterations: run.Get(Keys.Iterations), PgdSteps: run.Get(Keys.PgdSteps), LearningRate: run.GetOrNull(Keys.LearningRate), Repeats: p.GetValue(repeats),
                Float32: run.Get(Keys.Precision) == Precision.Single, Python: p.GetValue(python) ?? "/usr/bin/python3", Baseline: p.GetValue(baseline)).Validate();
            var report = new BenchRunner(settings, ctx.Error).Run();
            if (p.GetValue(json)) ctx.Out.WriteLine(BenchOutput.Json(report, ctx.Version));
            else BenchOutput.Render(report, ctx.Console, ctx.Version);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
