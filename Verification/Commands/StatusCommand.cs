using System.CommandLine;
using Verify.Verification.Cluster;
using Verify.Verification.Output;

namespace Verify.Verification.Commands;

/// <summary>
/// `verify status`: how many of an experiment's runs are in its results folder (local or Slurm runs alike) and,
/// when `verify submit` recorded a job there, each array task's runs, state and, for a failed task, its log.
/// </summary>
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
            var plan = opts.Plan(p, exp);
            var store = opts.Store(p, exp);
            if (File.Exists(store.Directory)) throw InvalidInputException.MustBe("--results", $"'{store.Directory}'", "a folder, not a file");
            string jobsFile = JobFile.PathIn(store.Directory);
            IReadOnlyList<JobRecord> jobs;
            try { jobs = JobFile.Read(jobsFile); }
            catch (InvalidInputException ex)
            {
                ctx.Error.WriteLine("warning: " + ex.Message);
                jobs = [];
            }
            var status = ClusterStatus.Build(exp, plan, store, p.GetValue(opts.Set) ?? [], jobs, new SlurmTools());
            status.Write(ctx.Out, configPath);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
