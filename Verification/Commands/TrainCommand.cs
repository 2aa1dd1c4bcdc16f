using Verify.Simulation.Settings;
using System.CommandLine;
using Verify.Verification.Output;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Commands;

/// <summary>`verify train`: the options of <see cref="TrainingRun"/>.</summary>
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
        var saveModel = new Option<string>("--save-model")
        {
            Description = "also write the trained network with its test set (in the coordinates the run used) and the run's description to this file, " +
                "in the safetensors format (docs/interop.md); its folder must exist; checked before training, at most 1 GiB"
        };
        cmd.Options.Add(config); cmd.Options.Add(json); cmd.Options.Add(output); cmd.Options.Add(saveModel); cmd.Options.Add(OptionFactory.Blas());

        cmd.SetAction(p => ExitCodes.Of(TrainingRun.Execute(
            new TrainRequest(p.GetValue(config), settingOptions.Values(p), p.GetValue(output), p.GetValue(json), p.GetValue(saveModel)), ctx)));
        return cmd;
    }
}
