using System.CommandLine;
using Verify.Verification.Cluster;
using Verify.Verification.Output;

namespace Verify.Verification.Commands;

/// <summary>`verify status`: the options of <see cref="StatusReport"/>.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext ctx)
    {
        var config = new Argument<string>("config") { Description = "experiment JSON file (see experiments/)" };
        var opts = new ExperimentOptions();
        var cmd = new Command("status",
            "Show how many of an experiment's runs are finished in its results folder and, for the last job verify submit recorded there, " +
            "each array task's runs and state (from sacct, else squeue, else the task's log); a failed task is shown with its log file. Writes nothing.")
        { config };
        cmd.Options.Add(opts.Set);
        cmd.Options.Add(opts.Results);
        cmd.Options.Add(opts.MaxRuns);
        cmd.SetAction(p =>
        {
            string configPath = p.GetValue(config)!;
            var exp = opts.Load(p, configPath);
            StatusReport.Write(new StatusRequest(configPath, exp, opts.Plan(p, exp), p.GetValue(opts.Results), p.GetValue(opts.Set) ?? []), new SlurmTools(), ctx.Out, ctx.Error);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
