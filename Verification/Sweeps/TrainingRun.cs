using Verify.Simulation.Runs;
using Verify.Verification.Downloads;
using Verify.Verification.Models;
using Verify.Verification.Output;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Sweeps;

/// <summary>What `verify train` was asked.</summary>
/// <param name="ConfigFile">A JSON file of settings, overridden by <paramref name="Options"/>; null when absent.</param>
/// <param name="Options">The settings given as options, by setting name.</param>
/// <param name="OutFile">Where to write the JSON result as well; null when absent.</param>
/// <param name="Json">Print the result as JSON instead of a table.</param>
/// <param name="ModelFile">Where to save the trained network with its test set (safetensors, <see cref="Models.ModelFile"/>); null when absent.</param>
internal sealed record TrainRequest(string? ConfigFile, IEnumerable<KeyValuePair<string, string>> Options, string? OutFile, bool Json, string? ModelFile = null);

/// <summary>`verify train`: one training run, outside any results folder, with progress, printed as a table or JSON.</summary>
internal static class TrainingRun
{
    public static Ending Execute(TrainRequest r, CliContext ctx)
    {
        var values = new List<KeyValuePair<string, string>>();
        string where = "the command line";
        if (r.ConfigFile is { } file)
        {
            values.AddRange(SettingsFile.Leaves(file));
            where = $"'{file}' or the command line";
        }
        values.AddRange(r.Options);
        var settings = RunSettings.Parse(values, where);
        // Validated before any progress is shown, so bad settings print one line and nothing else.
        var spec = settings.ToSpec().Validate();
        RunWork.Check(spec);
        // The model file's size follows from the settings, as the work does: a file too large is refused before the memory it would take.
        if (r.ModelFile is { } modelFile) ModelFile.Check(modelFile, spec, r.OutFile);
        MnistLocator.Check([spec]);
        Resources.Check(spec, Resources.AvailableBytes);
        if (r.OutFile is { } outFile) WritableFolder.CheckFile(outFile, "--out"); // the finished result must have somewhere to go
        RunResult result;
        TrainedModel? model = null;
        using (var interruption = new Interruption())
        {
            try
            {
                result = new ProgressReporter(ctx).Run("training", report => r.ModelFile is null
                    ? Simulator.Run(spec, new Progress(report), interruption.Token)
                    : Simulator.Run(spec, out model, new Progress(report), interruption.Token));
            }
            catch (OperationCanceledException) when (interruption.ExitCode != 0)
            {
                ctx.Error.WriteLine("interrupted: the run was stopped before it finished; nothing was written");
                return Interruption.EndingOf(interruption.ExitCode);
            }
        }

        var record = RunRecord.From(result, settings.Resolved(spec), EnvironmentInfo.Current(result.Backend));
        if (r.OutFile is { } path) AtomicFile.WriteAllText(path, Results.Json.Write(record));
        if (r.Json) ctx.Out.WriteLine(Results.Json.Write(record));
        else TrainTable.Render(record, ctx.Console);
        if (result.Diverged)
        {
            ctx.Error.WriteLine($"error: training diverged: {result.Training.Divergence!.Reason}"
                + (r.ModelFile is null ? "" : $"; no model was saved ({ModelFile.Option})"));
            return Ending.RunFailed;
        }
        // Last, after the result is shown: a model that cannot be written (a full disk) costs the file, not the result.
        if (r.ModelFile is { } modelPath && model is not null) ModelFile.Write(modelPath, model, record);
        return Ending.Done;
    }

    /// <summary>Adapts RunProgress to the reporter's (done, total, note) callback; synchronous, unlike Progress&lt;T&gt;.</summary>
    private sealed class Progress(Action<double, double, string> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress p) => report(p.Iteration, Math.Max(1, p.Total),
            p.Phase == "training" && double.IsFinite(p.Loss) ? $"robust loss {p.Loss:G3}" : p.Phase);
    }
}
