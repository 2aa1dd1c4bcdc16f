using Verify.Simulation.Settings;
using System.CommandLine;
using Verify.Verification.Cluster;
using Verify.Verification.Output;
using Verify.Simulation.Kernels;

namespace Verify.Verification.Commands;

/// <summary>`verify submit`: the options of <see cref="Submission"/>.</summary>
internal static class SubmitCommand
{
    public static Command Create(CliContext ctx)
    {
        var config = new Argument<string>("config") { Description = "experiment JSON file (see experiments/)" };
        var tasks = PositiveInteger("--tasks", "array tasks: task i runs shard i/N of the runs (at most the number of runs)");
        tasks.Required = true;
        var partition = new Option<string>("--partition") { Description = "Slurm partition (#SBATCH --partition) [default: the cluster's]" };
        var time = new Option<string>("--time") { Description = "time limit per task, in Slurm's form: minutes, H:M:S or D-H:M:S (#SBATCH --time) [default: the partition's]" };
        var cpus = PositiveInteger("--cpus-per-task", "CPUs per task: each task runs that many runs side by side, one BLAS thread each [default: 1, Slurm's default]");
        var account = new Option<string>("--account") { Description = "Slurm account to charge (#SBATCH --account)" };
        var extra = new Option<string[]>("--sbatch-arg") { Description = "another sbatch option, one per --sbatch-arg and one #SBATCH line each (for example --sbatch-arg=--mem=4G); not one verify submit sets (--array, --output, --chdir, ...) in any spelling; repeatable", AllowMultipleArgumentsPerToken = false };
        var dryRun = OptionFactory.Flag("--dry-run", "print the script and submit nothing (writes nothing)");
        var opts = new ExperimentOptions();
        var cmd = new Command("submit",
            "Submit an experiment to Slurm as a job array: task i runs `verify run <config> --shard i/N` into one shared results folder " +
            "(it must be on a filesystem every node sees). The script, the task logs (%A_%a.out) and jobs.json go to <results>/slurm/. " +
            "Runs already stored are skipped, so submitting again runs only what is missing. The Slurm commands are found on PATH, or in $VERIFY_SLURM_BIN.")
        { config, tasks, partition, time, cpus, account, extra, dryRun };
        cmd.Options.Add(opts.Set);
        cmd.Options.Add(opts.Results);
        cmd.Options.Add(opts.MaxRuns);
        var blas = OptionFactory.Blas();
        cmd.Options.Add(blas);
        cmd.SetAction(p =>
        {
            string configPath = p.GetValue(config)!;
            var exp = opts.Load(p, configPath);
            var request = new SubmitRequest(configPath, exp, opts.Plan(p, exp), p.GetValue(opts.Results),
                p.GetValue(tasks), p.GetValue(partition), p.GetValue(time), p.GetValue(cpus), p.GetValue(account), p.GetValue(extra) ?? [],
                p.GetValue(opts.Set) ?? [], p.GetResult(opts.MaxRuns) is { Implicit: false } ? p.GetValue(opts.MaxRuns) : null,
                p.GetValue(blas) is { } given ? BlasChoices.Parse(given, OptionFactory.BlasName).Name() : null, p.GetValue(dryRun));
            Submission.Submit(request, new SlurmTools(), ctx.Out, ctx.Error);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>An integer option ≥ 1 with no default (null when not given); a parse error names the option and the text.</summary>
    private static Option<int?> PositiveInteger(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0) return null;
            string text = r.Tokens[^1].Value;
            if (Setting.TryInt(text, out int v) && v >= 1) return v;
            r.AddError($"{name} = '{text}' is not allowed: must be an integer ≥ 1");
            return null;
        },
    };
}
