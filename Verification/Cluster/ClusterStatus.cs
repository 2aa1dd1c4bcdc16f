using System.Globalization;
using Verify.Verification.Experiments;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Cluster;

/// <summary>One array task of a recorded job: its shard's runs in the store, and what the scheduler and its log say.</summary>
/// <param name="SchedulerAnswered">Whether squeue or sacct answered at all (a task it does not know has then left it).</param>
internal sealed record TaskStatus(int Task, int Tasks, int Runs, int Finished, TaskState? Scheduler, bool SchedulerAnswered, bool LogStarted, int? LogExit, string Log)
{
    /// <summary>The state shown: the scheduler's; else what the log's end line says; else why it is not known.</summary>
    public string State => Scheduler?.State
        ?? (LogExit is { } e ? (e == 0 ? "ENDED" : "FAILED")
            : !SchedulerAnswered ? (LogStarted ? "STARTED" : "UNKNOWN")
            : LogStarted ? "ENDED?" : "GONE");

    public string Exit => Scheduler?.ExitCode is { } x && Scheduler.Finished ? x : LogExit?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// Ended without success: the scheduler says so, or its log's end line has a non-zero exit, or the scheduler no
    /// longer knows a task whose log has no end line (killed: time limit, node failure, scancel).
    /// </summary>
    public bool Failed => Scheduler is { } s ? s.Failed || (s.Completed && LogExit is > 0)
        : LogExit is { } e ? e != 0
        : SchedulerAnswered;

    /// <summary>Ended, whether it did all its runs or not.</summary>
    public bool Ended => Scheduler is { } s ? s.Finished : LogExit is not null || (SchedulerAnswered && LogStarted);
}

/// <summary>What `verify status` shows: the store's counts, and the latest recorded job task by task.</summary>
internal sealed record ClusterStatus(
    string Name,
    string ResultsDirectory,
    int Planned,
    int Finished,
    int Unreadable,
    JobRecord? Job,
    IReadOnlyList<JobRecord> EarlierJobs,
    IReadOnlyList<TaskStatus> Tasks,
    string? SchedulerSource,
    string? SchedulerNote,
    IReadOnlyList<string> Warnings)
{
    public int Missing => Planned - Finished;

    /// <summary>
    /// Counts the plan's runs in the store; when a job is recorded for this experiment, counts each task's shard and
    /// asks the scheduler (through <paramref name="tools"/>, null to skip it) and the task logs how each task is doing.
    /// </summary>
    public static ClusterStatus Build(ExperimentConfig exp, IReadOnlyList<PlannedRun> plan, ResultStore store, IReadOnlyList<string> sets,
        IReadOnlyList<JobRecord> recorded, SlurmTools? tools)
    {
        var found = plan.Select(r => (Run: r, Stored: store.Find(r))).ToList();
        var done = found.Where(f => f.Stored.Record is not null).Select(f => f.Run.Id).ToHashSet(StringComparer.Ordinal);
        int unreadable = found.Count(f => f.Stored.Unreadable);
        var jobs = recorded.Where(j => j.Name == exp.Name).ToList();
        var warnings = new List<string>();
        if (jobs.Count == 0)
        {
            string? absent = tools is not null && tools.Locate("squeue") is null ? $"unavailable (squeue not found on {tools.Where})" : null;
            return new ClusterStatus(exp.Name, store.Directory, plan.Count, done.Count, unreadable, null, [], [], null, absent, warnings);
        }

        var job = jobs[^1];
        if (job.Problem() is { } wrong) throw new InvalidInputException($"job {job.JobId} has {wrong}"); // JobFile.Read refuses such records
        if (!job.Sets.SequenceEqual(sets))
            warnings.Add($"job {job.JobId} ran with {Describe(job.Sets)}, this count uses {Describe(sets)}: give the job's --set options to count its runs");
        else if (job.Runs != plan.Count)
            warnings.Add($"job {job.JobId} was submitted for {job.Runs} runs, the experiment now plans {plan.Count} (was {job.Experiment} edited?): the tasks' counts below use today's plan");

        IReadOnlyDictionary<int, TaskState> states = new Dictionary<int, TaskState>();
        string? source = null, note = null;
        if (tools is null) note = "not asked";
        else if (tools.Locate("squeue") is null && tools.Locate("sacct") is null)
            note = $"unavailable (squeue and sacct not found on {tools.Where}): task states from their logs";
        else (states, source, note) = tools.Query(job.JobId, job.Cluster);
        bool answered = source is not null || (note is not null && note.Contains("knows no task", StringComparison.Ordinal));

        // Each task's runs in one pass over the plan: ExperimentPlan.Shard's split (the k-th run by id goes to task
        // k mod N + 1), without sorting the plan again for every task. The job record bounds the tasks (JobRecord.MaxTasks).
        int n = job.Tasks;
        var runs = new int[n + 1];
        var finished = new int[n + 1];
        int position = 0;
        foreach (var run in plan.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            int t = position++ % n + 1;
            runs[t]++;
            if (done.Contains(run.Id)) finished[t]++;
        }
        var tasks = new List<TaskStatus>(n);
        var unreadableLogs = new List<string>();
        for (int t = 1; t <= n; t++)
        {
            string log = job.LogOf(t);
            var (text, problem) = TaskLog.Read(log);
            if (problem is not null) unreadableLogs.Add($"task {t}: {problem}");
            var (started, exit) = SlurmOutput.ParseLog(text);
            tasks.Add(new TaskStatus(t, n, runs[t], finished[t], states.GetValueOrDefault(t), answered, started, exit, log));
        }
        const int Shown = 5;
        warnings.AddRange(unreadableLogs.Take(Shown).Select(w => w + " (its state is the scheduler's alone)"));
        if (unreadableLogs.Count > Shown) warnings.Add($"{unreadableLogs.Count - Shown} more task logs cannot be read");
        return new ClusterStatus(exp.Name, store.Directory, plan.Count, done.Count, unreadable, job, jobs.Take(jobs.Count - 1).ToList(), tasks, source, note, warnings);
    }

    private static string Describe(IReadOnlyList<string> sets) => sets.Count == 0 ? "no --set" : string.Join(" ", sets.Select(s => "--set " + s));

    /// <summary>The text `verify status` prints.</summary>
    public void Write(TextWriter o, string experimentArgument)
    {
        o.WriteLine($"{Name}: {Finished}/{Planned} runs finished, {Missing} missing; results in {ResultsDirectory}");
        if (Unreadable > 0)
            o.WriteLine($"  {Unreadable} result file(s) are unreadable (corrupt, another version or other settings): counted as missing, recomputed by the next run");
        foreach (var w in Warnings) o.WriteLine("warning: " + w);
        if (Job is not { } job)
        {
            o.WriteLine($"no Slurm job recorded in {JobFile.PathIn(ResultsDirectory)} (verify submit records one)"
                + (SchedulerNote is null ? "" : $"; scheduler: {SchedulerNote}"));
        }
        else
        {
            string when = job.Submitted.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            o.WriteLine($"job {job.JobId}{(job.Cluster is null ? "" : " on " + job.Cluster)}, submitted {when}: {job.Tasks} array task{(job.Tasks == 1 ? "" : "s")}, script {job.Script}");
            var rows = Tasks.Select(t => new[]
            {
                t.Task.ToString(CultureInfo.InvariantCulture), $"{t.Task}/{t.Tasks}", $"{t.Finished}/{t.Runs}", t.State, t.Exit,
                t.Failed ? "log: " + t.Log : "",
            }).ToList();
            string[] head = ["task", "shard", "runs", "state", "exit", ""];
            var widths = head.Select((h, k) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[k].Length))).ToArray();
            string Row(string[] cells) => ("  " + string.Join("  ", cells.Select((c, k) => c.PadRight(widths[k])))).TrimEnd();
            o.WriteLine(Row(head));
            foreach (var r in rows) o.WriteLine(Row(r));
            o.WriteLine(SchedulerSource is not null
                ? $"  states from {SchedulerSource}" + (string.IsNullOrEmpty(SchedulerNote) ? "" : $" ({SchedulerNote})")
                : $"  scheduler: {SchedulerNote}");
            o.WriteLine($"  logs: {job.Logs.Replace("%A", job.JobId, StringComparison.Ordinal).Replace("%a", "<task>", StringComparison.Ordinal)}");
            if (EarlierJobs.Count > 0)
                o.WriteLine("  earlier jobs: " + string.Join(", ", EarlierJobs.Select(j => $"{j.JobId} ({j.Tasks} tasks, {j.Submitted.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)})")));
            int failed = Tasks.Count(t => t.Failed);
            string resubmit = $"verify submit {SbatchScript.Word(experimentArgument)} --tasks {job.Tasks} --results {SbatchScript.Word(ResultsDirectory)}" + string.Concat(job.Sets.Select(x => " --set " + SbatchScript.Word(x)));
            if (failed > 0)
                o.WriteLine($"{failed} task{(failed == 1 ? "" : "s")} failed (see the log{(failed == 1 ? "" : "s")} above); once the job has ended, `{resubmit}` runs only the {Missing} missing run{(Missing == 1 ? "" : "s")}");
            else if (Missing > 0 && Tasks.All(t => t.Ended))
                o.WriteLine($"every task ended but {Missing} run{(Missing == 1 ? " is" : "s are")} missing; `{resubmit}` runs only those");
        }
        if (Missing == 0) o.WriteLine($"all runs finished: verify report {SbatchScript.Word(experimentArgument)} --results {SbatchScript.Word(ResultsDirectory)} --no-run");
    }
}
