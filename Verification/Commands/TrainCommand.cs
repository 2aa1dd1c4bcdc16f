using Verify.Simulation.Settings;
using System.CommandLine;
using Verify.Simulation.Runs;
using Verify.Verification.Downloads;
using Verify.Verification.Output;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Commands;

/// <summary>`verify train`: one training run from options or a JSON config, with progress, printed as a table or JSON.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("train", "Adversarially train the paper's two-layer network once and evaluate it. " +
            "Defaults: the paper's synthetic cell n = 100, n_test = 2000, m = 1000, T = 1000, PGD-20, β = 0.1, at d = 1000, M = 5, α = 0.5.");
        var settingOptions = new SettingOptions(Keys.All);
        settingOptions.AddTo(cmd);
        var config = new Option<string>("--config") { Description = "JSON file with settings (a flat object of the keys above, camelCase); options given on the command line override it" };
        var json = OptionFactory.Flag("--json", "print the full result (settings, metrics, curve, provenance, timings) as JSON");
        var output = new Option<string>("--out") { Description = "also write the JSON result to this file (atomically)" };
        cmd.Options.Add(config); cmd.Options.Add(json); cmd.Options.Add(output); cmd.Options.Add(OptionFactory.Blas());

        cmd.SetAction(p =>
        {
            var values = new List<KeyValuePair<string, string>>();
            string where = "the command line";
            if (p.GetValue(config) is { } file)
            {
                values.AddRange(SettingsFile.Leaves(file));
                where = $"'{file}' or the command line";
            }
            values.AddRange(settingOptions.Values(p));
            var settings = RunSettings.Parse(values, where);
            // Validated before any progress is shown, so bad settings print one line and nothing else.
            var spec = settings.ToSpec().Validate();
            RunWork.Check(spec);
            MnistLocator.Check([spec]);
            Resources.Check(spec, Resources.AvailableBytes);
            if (p.GetValue(output) is { } outFile) WritableFolder.CheckFile(outFile, "--out"); // the finished result must have somewhere to go
            RunResult result;
            using (var interruption = new Interruption())
            {
                try { result = new ProgressReporter(ctx).Run("training", report => Simulator.Run(spec, new Progress(report), interruption.Token)); }
                catch (OperationCanceledException) when (interruption.ExitCode != 0)
                {
                    ctx.Error.WriteLine("interrupted: the run was stopped before it finished; nothing was written");
                    return interruption.ExitCode;
                }
            }

            var record = RunRecord.From(result, settings.Resolved(spec), EnvironmentInfo.Current(result.Backend));
            if (p.GetValue(output) is { } path) AtomicFile.WriteAllText(path, Json.Write(record));
            if (p.GetValue(json)) ctx.Out.WriteLine(Json.Write(record));
            else TrainTable.Render(record, ctx.Console);
            if (result.Diverged)
            {
                ctx.Error.WriteLine($"error: training diverged: {result.Training.Divergence!.Reason}");
                return ExitCodes.RunFailed;
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Adapts RunProgress to the reporter's (done, total, note) callback; synchronous, unlike Progress&lt;T&gt;.</summary>
    private sealed class Progress(Action<double, double, string> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress p) => report(p.Iteration, Math.Max(1, p.Total),
            p.Phase == "training" && double.IsFinite(p.Loss) ? $"robust loss {p.Loss:G3}" : p.Phase);
    }
}
