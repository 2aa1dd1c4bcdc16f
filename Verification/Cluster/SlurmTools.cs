
using Verify.Verification.Processes;

namespace Verify.Verification.Cluster;

/// <summary>The outcome of one Slurm command: Error is set when it could not be run or did not answer in time.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr, string? Error)
{
    public bool Ok => Error is null && ExitCode == 0;

    /// <summary>Why it failed, in one line: the error, else the last lines of stderr (sbatch's "error: …"), else the exit code.</summary>
    public string Reason()
    {
        if (Error is not null) return Error;
        var lines = Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0) lines = Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 0 ? string.Join(" | ", lines.TakeLast(2)) : $"exit code {ExitCode}";
    }
}

/// <summary>
/// The Slurm commands (sbatch, squeue, sacct), from the folder $VERIFY_SLURM_BIN when it is set (tests put
/// stand-ins there), else from PATH.
/// </summary>
internal sealed class SlurmTools(string? binDirectory = null)
{
    public const string BinVariable = "VERIFY_SLURM_BIN";

    private readonly string? _bin = binDirectory ?? (Environment.GetEnvironmentVariable(BinVariable) is { Length: > 0 } b ? b : null);

    /// <summary>Where <paramref name="name"/> is, or null when it is not installed.</summary>
    public string? Locate(string name)
    {
        if (_bin is not null)
        {
            string p = Path.Combine(_bin, name);
            return File.Exists(p) ? p : null;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Where the commands are looked for, for messages.</summary>
    public string Where => _bin is not null ? $"${BinVariable} ({_bin})" : "PATH";

    public ToolResult Run(string name, IReadOnlyList<string> args, TimeSpan timeout)
    {
        string? file = Locate(name);
        if (file is null) return new ToolResult(-1, "", "", $"{name} not found on {Where}");
        var r = ChildProcess.Run(file, args, timeout);
        if (r.StartError is { } ex) return new ToolResult(-1, "", "", $"{name} could not be started ({file}: {ex.Message})");
        return new ToolResult(r.ExitCode, r.Stdout, r.Stderr, r.TimedOut ? $"{name} did not answer within {timeout.TotalSeconds:0} s" : null);
    }

    /// <summary>Submits a script with `sbatch --parsable`; the job id, or the reason sbatch gave for refusing it.</summary>
    public (string? JobId, string? Cluster, string? Refusal) Submit(string script)
    {
        var r = Run("sbatch", ["--parsable", script], TimeSpan.FromMinutes(2));
        if (!r.Ok) return (null, null, r.Reason());
        if (SlurmOutput.ParseSbatch(r.Stdout) is not { } id) return (null, null, $"sbatch printed no job id: '{r.Stdout.Trim()}'");
        return (id.JobId, id.Cluster, null);
    }

    /// <summary>
    /// The array's tasks as the scheduler knows them: from sacct (the accounting database, which keeps finished
    /// jobs), else from squeue (the controller's memory: pending, running and recently ended tasks). The
    /// source names the command that answered; Note says why another could not.
    /// </summary>
    public (IReadOnlyDictionary<int, TaskState> Tasks, string? Source, string? Note) Query(string jobId, string? cluster = null)
    {
        var notes = new List<string>();
        string[] clusterArgs = cluster is null ? [] : ["-M", cluster];
        var sacct = Run("sacct", [.. clusterArgs, "-j", jobId, "--format=JobID,State,ExitCode", "-P", "-n"], TimeSpan.FromSeconds(30));
        if (sacct.Ok)
        {
            var tasks = SlurmOutput.ParseSacct(sacct.Stdout, jobId);
            if (tasks.Count > 0) return (tasks, "sacct", null);
            notes.Add($"sacct knows no task of job {jobId}");
        }
        else notes.Add("sacct: " + sacct.Reason());
        var squeue = Run("squeue", [.. clusterArgs, "-j", jobId, "-t", "all", "-r", "-h", "-o", "%i|%T"], TimeSpan.FromSeconds(30));
        if (squeue.Ok)
        {
            var tasks = SlurmOutput.ParseSqueue(squeue.Stdout, jobId);
            if (tasks.Count > 0) return (tasks, "squeue", string.Join("; ", notes));
            notes.Add($"squeue knows no task of job {jobId} (ended tasks leave it after MinJobAge)");
        }
        else notes.Add("squeue: " + squeue.Reason());
        return (new Dictionary<int, TaskState>(), null, string.Join("; ", notes));
    }
}
