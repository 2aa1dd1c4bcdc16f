using Verify.Simulation.Settings;
using System.CommandLine;
using Verify.Verification.Cluster;
using Verify.Verification.Experiments;
using Verify.Verification.Output;
using Verify.Verification.Results;
using Verify.Simulation.Kernels;
using Verify.Verification.Processes;

namespace Verify.Verification.Commands;

/// <summary>
/// `verify submit`: an experiment as a Slurm job array, one shard per task, every task writing into the one
/// shared results folder; the script, the logs and the job record go to &lt;results&gt;/slurm/.
/// </summary>
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
            // Everything is checked before anything is written or submitted.
            string configPath = p.GetValue(config)!;
            var exp = opts.Load(p, configPath);
            var plan = opts.Plan(p, exp);
            int n = p.GetValue(tasks) ?? throw InvalidInputException.MustBe("--tasks", "''", "an integer ≥ 1");
            if (n > plan.Count)
                throw InvalidInputException.MustBe("--tasks", n.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most the {plan.Count} runs of '{exp.Name}' (each task runs at least one)");
            if (n > JobRecord.MaxTasks)
                throw InvalidInputException.MustBe("--tasks", n.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most {JobRecord.MaxTasks.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} (a task runs many runs; Slurm's arrays are smaller still)");
            int? cpusPerTask = p.GetValue(cpus);
            string? part = p.GetResult(partition) is null ? null : SbatchScript.CheckName(p.GetValue(partition), "--partition");
            string? acct = p.GetResult(account) is null ? null : SbatchScript.CheckName(p.GetValue(account), "--account");
            string? limit = p.GetResult(time) is null ? null : SbatchScript.CheckTime(p.GetValue(time));
            var sbatchArgs = (p.GetValue(extra) ?? []).Select(SbatchScript.CheckSbatchArg).ToList();
            var store = opts.Store(p, exp);
            SbatchScript.CheckDirectivePath(store.Directory, "--results");
            if (File.Exists(store.Directory)) throw InvalidInputException.MustBe("--results", $"'{store.Directory}'", "a folder, not a file");
            string workDir = Directory.GetCurrentDirectory();
            SbatchScript.CheckDirectivePath(workDir, "the current folder");
            long? maxRuns = p.GetResult(opts.MaxRuns) is { Implicit: false } ? p.GetValue(opts.MaxRuns) : null;
            bool dry = p.GetValue(dryRun);
            string? kernel = p.GetValue(blas) is { } given ? BlasChoices.Parse(given, OptionFactory.BlasName).Name() : null;
            int missing = dry && !Directory.Exists(store.RunsDirectory) ? plan.Count : plan.Count(r => store.Find(r).Record is null);

            var job = new ArrayJob(Path.GetFullPath(configPath), exp.Name, plan.Count, missing, n, store.Directory, workDir, VerifyExecutable.Command(),
                p.GetValue(opts.Set) ?? [], maxRuns, part, limit, cpusPerTask, acct, sbatchArgs, DateTimeOffset.UtcNow, kernel);
            string script = SbatchScript.Render(job);
            if (dry)
            {
                ctx.Out.Write(script);
                ctx.Error.WriteLine($"dry run: nothing written or submitted. Without --dry-run this script goes to {job.ScriptPath} and is submitted with sbatch --parsable.");
                return ExitCodes.Ok;
            }

            store.CheckWritable("--results");
            WritableFolder.Check(job.SlurmDirectory, "--results");
            string jobsFile = JobFile.PathIn(store.Directory);
            var earlier = JobFile.Read(jobsFile); // an unreadable record is refused before anything is submitted
            if (missing == 0)
            {
                ctx.Out.WriteLine($"all {plan.Count} runs of '{exp.Name}' are already in {store.Directory}: nothing to submit");
                ctx.Out.WriteLine($"next: verify report {SbatchScript.Word(configPath)} --results {SbatchScript.Word(store.Directory)} --no-run");
                return ExitCodes.Ok;
            }
            var tools = new SlurmTools();
            if (tools.Locate("sbatch") is null)
                throw new InvalidInputException($"sbatch not found on {tools.Where}: verify submit needs Slurm's commands (run it on the cluster's login node; --dry-run prints the script)");

            // A job of this folder still queued or running computes the same missing runs: harmless (same files, written
            // atomically) but twice the work, so say so.
            if (earlier.Count > 0 && earlier[^1] is { } last && last.Name == exp.Name)
            {
                var active = tools.Query(last.JobId, last.Cluster).Tasks.Values.Where(t => !t.Finished).ToList();
                if (active.Count > 0)
                    ctx.Error.WriteLine($"warning: job {last.JobId} still has {active.Count} task(s) pending or running; runs both jobs lack are computed twice (scancel {last.JobId} to avoid that)");
            }

            string scriptPath = job.ScriptPath;
            for (int k = 2; Path.Exists(scriptPath); k++) scriptPath = Path.ChangeExtension(job.ScriptPath, null) + $"-{k}.sh";
            AtomicFile.WriteAllText(scriptPath, script);
            var (jobId, cluster, refusal) = tools.Submit(scriptPath);
            if (jobId is null)
                throw new InvalidInputException($"sbatch refused the job: {refusal} (nothing submitted; the script is {scriptPath})");
            try
            {
                JobFile.Append(jobsFile, new JobRecord(jobId, cluster, job.ExperimentPath, exp.Name, job.Sets, n, plan.Count, missing, job.Created, scriptPath, job.LogPattern));
            }
            catch (Exception ex) when (ex is InvalidInputException or IOException or UnauthorizedAccessException)
            {
                // jobs.json was checked above; changed since (another submit, a user), the job still runs: say which it is.
                throw new InvalidInputException($"job {jobId} was submitted, but it could not be recorded ({ex.Message}): verify status will not show its tasks; its runs still go to {store.Directory}");
            }

            ctx.Out.WriteLine($"submitted job {jobId}{(cluster is null ? "" : " on " + cluster)}: {n} array task{(n == 1 ? "" : "s")} for the {missing} missing of {plan.Count} runs of '{exp.Name}'");
            ctx.Out.WriteLine($"  script  {scriptPath}");
            ctx.Out.WriteLine($"  logs    {job.LogPattern.Replace("%A", jobId, StringComparison.Ordinal).Replace("%a", "<task>", StringComparison.Ordinal)}");
            ctx.Out.WriteLine($"  results {store.Directory}");
            string sets = string.Concat(job.Sets.Select(s => " --set " + SbatchScript.Word(s)));
            ctx.Out.WriteLine($"next: verify status {SbatchScript.Word(configPath)} --results {SbatchScript.Word(store.Directory)}{sets}");
            if (earlier.Count > 0) ctx.Error.WriteLine($"({earlier.Count} earlier job(s) recorded for this results folder; finished runs are not computed again)");
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
