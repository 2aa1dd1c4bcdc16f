using System.Globalization;
using Verify.Verification.Experiments;
using Verify.Verification.Processes;
using Verify.Verification.Results;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Cluster;

/// <summary>
/// What `verify submit` was asked: the experiment as loaded and planned, and the cluster's options as given
/// (null when absent); <see cref="Submission"/> checks them.
/// </summary>
/// <param name="Results">--results as given; null for the default folder.</param>
/// <param name="MaxRunsGiven">--max-runs when given on the command line: the tasks' `verify run` repeats it.</param>
/// <param name="Kernel">The --blas choice's name when given: the tasks repeat it.</param>
internal sealed record SubmitRequest(
    string ConfigPath, ExperimentConfig Experiment, IReadOnlyList<PlannedRun> Plan, string? Results,
    int? Tasks, string? Partition, string? Time, int? CpusPerTask, string? Account, IReadOnlyList<string> SbatchArgs,
    IReadOnlyList<string> Sets, long? MaxRunsGiven, string? Kernel, bool DryRun);

/// <summary>
/// `verify submit`: an experiment as a Slurm job array, one shard per task, every task writing into the one
/// shared results folder; the script, the logs and the job record go to &lt;results&gt;/slurm/.
/// </summary>
internal static class Submission
{
    public static void Submit(SubmitRequest request, SlurmTools tools, TextWriter output, TextWriter error)
    {
        // Everything is checked before anything is written or submitted.
        var (job, store) = Prepare(request);
        string script = SbatchScript.Render(job);
        if (request.DryRun)
        {
            output.Write(script);
            error.WriteLine($"dry run: nothing written or submitted. Without --dry-run this script goes to {job.ScriptPath} and is submitted with sbatch --parsable.");
            return;
        }

        store.CheckWritable("--results");
        WritableFolder.Check(job.SlurmDirectory, "--results");
        string jobsFile = JobFile.PathIn(store.Directory);
        var earlier = JobFile.Read(jobsFile); // an unreadable record is refused before anything is submitted
        if (job.Missing == 0)
        {
            output.WriteLine($"all {job.Runs} runs of '{job.Name}' are already in {store.Directory}: nothing to submit");
            output.WriteLine($"next: verify report {SbatchScript.Word(request.ConfigPath)} --results {SbatchScript.Word(store.Directory)} --no-run");
            return;
        }
        if (tools.Locate("sbatch") is null)
            throw new InvalidInputException($"sbatch not found on {tools.Where}: verify submit needs Slurm's commands (run it on the cluster's login node; --dry-run prints the script)");
        WarnOfActiveJob(earlier, job.Name, tools, error);

        var (jobId, cluster, scriptPath) = Send(job, script, tools);
        try
        {
            JobFile.Append(jobsFile, new JobRecord(jobId, cluster, job.ExperimentPath, job.Name, job.Sets, job.Tasks, job.Runs, job.Missing, job.Created, scriptPath, job.LogPattern));
        }
        catch (Exception ex) when (ex is InvalidInputException or IOException or UnauthorizedAccessException)
        {
            // jobs.json was checked above; changed since (another submit, a user), the job still runs: say which it is.
            throw new InvalidInputException($"job {jobId} was submitted, but it could not be recorded ({ex.Message}): verify status will not show its tasks; its runs still go to {store.Directory}");
        }

        int n = job.Tasks;
        output.WriteLine($"submitted job {jobId}{(cluster is null ? "" : " on " + cluster)}: {n} array task{(n == 1 ? "" : "s")} for the {job.Missing} missing of {job.Runs} runs of '{job.Name}'");
        output.WriteLine($"  script  {scriptPath}");
        output.WriteLine($"  logs    {job.LogPattern.Replace("%A", jobId, StringComparison.Ordinal).Replace("%a", "<task>", StringComparison.Ordinal)}");
        output.WriteLine($"  results {store.Directory}");
        string sets = string.Concat(job.Sets.Select(s => " --set " + SbatchScript.Word(s)));
        output.WriteLine($"next: verify status {SbatchScript.Word(request.ConfigPath)} --results {SbatchScript.Word(store.Directory)}{sets}");
        if (earlier.Count > 0) error.WriteLine($"({earlier.Count} earlier job(s) recorded for this results folder; finished runs are not computed again)");
    }

    /// <summary>The job the request describes, every option checked, and the folder its tasks write to; nothing written.</summary>
    public static (ArrayJob Job, ResultStore Store) Prepare(SubmitRequest r)
    {
        var exp = r.Experiment;
        int n = r.Tasks ?? throw InvalidInputException.MustBe("--tasks", "''", "an integer ≥ 1");
        if (n > r.Plan.Count)
            throw InvalidInputException.MustBe("--tasks", n.ToString(CultureInfo.InvariantCulture), $"at most the {r.Plan.Count} runs of '{exp.Name}' (each task runs at least one)");
        if (n > JobRecord.MaxTasks)
            throw InvalidInputException.MustBe("--tasks", n.ToString(CultureInfo.InvariantCulture), $"at most {JobRecord.MaxTasks.ToString("N0", CultureInfo.InvariantCulture)} (a task runs many runs; Slurm's arrays are smaller still)");
        string? partition = r.Partition is null ? null : SbatchScript.CheckName(r.Partition, "--partition");
        string? account = r.Account is null ? null : SbatchScript.CheckName(r.Account, "--account");
        string? limit = r.Time is null ? null : SbatchScript.CheckTime(r.Time);
        var sbatchArgs = r.SbatchArgs.Select(SbatchScript.CheckSbatchArg).ToList();
        var store = ResultStore.For(r.Results, exp.Name);
        SbatchScript.CheckDirectivePath(store.Directory, "--results");
        if (File.Exists(store.Directory)) throw InvalidInputException.MustBe("--results", $"'{store.Directory}'", "a folder, not a file");
        string workDir = Directory.GetCurrentDirectory();
        SbatchScript.CheckDirectivePath(workDir, "the current folder");
        // A dry run reads no store that is not there yet; a real one counts what is missing, so a resubmission runs only that.
        int missing = r.DryRun && !Directory.Exists(store.RunsDirectory) ? r.Plan.Count : r.Plan.Count(run => store.Find(run).Record is null);
        var job = new ArrayJob(Path.GetFullPath(r.ConfigPath), exp.Name, r.Plan.Count, missing, n, store.Directory, workDir, VerifyExecutable.Command(),
            r.Sets, r.MaxRunsGiven, partition, limit, r.CpusPerTask, account, sbatchArgs, DateTimeOffset.UtcNow, r.Kernel);
        return (job, store);
    }

    /// <summary>
    /// A job of this folder still queued or running computes the same missing runs: harmless (same files, written
    /// atomically) but twice the work, so say so.
    /// </summary>
    private static void WarnOfActiveJob(IReadOnlyList<JobRecord> earlier, string name, SlurmTools tools, TextWriter error)
    {
        if (earlier.Count == 0 || earlier[^1] is not { } last || last.Name != name) return;
        var active = tools.Query(last.JobId, last.Cluster).Tasks.Values.Where(t => !t.Finished).ToList();
        if (active.Count > 0)
            error.WriteLine($"warning: job {last.JobId} still has {active.Count} task(s) pending or running; runs both jobs lack are computed twice (scancel {last.JobId} to avoid that)");
    }

    /// <summary>The script written beside earlier ones (never over them) and handed to sbatch.</summary>
    private static (string JobId, string? Cluster, string ScriptPath) Send(ArrayJob job, string script, SlurmTools tools)
    {
        string scriptPath = job.ScriptPath;
        for (int k = 2; Path.Exists(scriptPath); k++) scriptPath = Path.ChangeExtension(job.ScriptPath, null) + $"-{k}.sh";
        AtomicFile.WriteAllText(scriptPath, script);
        var (jobId, cluster, refusal) = tools.Submit(scriptPath);
        if (jobId is null)
            throw new InvalidInputException($"sbatch refused the job: {refusal} (nothing submitted; the script is {scriptPath})");
        return (jobId, cluster, scriptPath);
    }
}
