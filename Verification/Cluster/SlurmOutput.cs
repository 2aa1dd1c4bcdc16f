using System.Globalization;

namespace Verify.Verification.Cluster;

/// <summary>What the scheduler says about one array task: its state (PENDING, RUNNING, COMPLETED, FAILED, …) and exit code ("2:0").</summary>
internal sealed record TaskState(int Task, string State, string? ExitCode)
{
    /// <summary>Ended without success: the runs it still had are missing, its log says why.</summary>
    public bool Failed => State is "FAILED" or "CANCELLED" or "TIMEOUT" or "OUT_OF_MEMORY" or "NODE_FAIL" or "PREEMPTED" or "BOOT_FAIL" or "DEADLINE" or "REVOKED";

    public bool Completed => State == "COMPLETED";

    public bool Finished => Completed || Failed;
}

/// <summary>
/// Reads what sbatch, sacct and squeue print. Pure functions of the text, so the tests feed them the
/// scheduler's output without a scheduler.
/// </summary>
internal static class SlurmOutput
{
    /// <summary>
    /// The job id from `sbatch --parsable`: "1234" or "1234;cluster" (on a federation). Null when the output
    /// holds no such line.
    /// </summary>
    public static (string JobId, string? Cluster)? ParseSbatch(string stdout)
    {
        foreach (var raw in stdout.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0) continue;
            var parts = line.Split(';');
            if (IsJobId(parts[0])) return (parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null);
        }
        return null;
    }

    public static bool IsJobId(string? text) => text is { Length: > 0 and <= 20 } && text.All(char.IsAsciiDigit);

    /// <summary>
    /// `sacct -j ID --format=JobID,State,ExitCode -P -n`: one line per task ("1234_2|COMPLETED|0:0"), step
    /// lines ("1234_2.batch") skipped, pending ranges ("1234_[3-5%2]|PENDING|0:0") expanded. A state such as
    /// "CANCELLED by 1000" keeps its first word. Lines of other jobs are ignored.
    /// </summary>
    public static IReadOnlyDictionary<int, TaskState> ParseSacct(string text, string jobId) => Parse(text, jobId, hasExitCode: true);

    /// <summary>`squeue -j ID -t all -r -h -o %i|%T`: one line per task ("1234_2|RUNNING"), ranges expanded as for sacct.</summary>
    public static IReadOnlyDictionary<int, TaskState> ParseSqueue(string text, string jobId) => Parse(text, jobId, hasExitCode: false);

    private static Dictionary<int, TaskState> Parse(string text, string jobId, bool hasExitCode)
    {
        var tasks = new Dictionary<int, TaskState>();
        foreach (var raw in text.Split('\n'))
        {
            var fields = raw.Trim().Split('|');
            if (fields.Length < 2) continue;
            string id = fields[0].Trim();
            if (id.Contains('.')) continue; // a step of a task (.batch, .extern, .0)
            string prefix = jobId + "_";
            if (!id.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string state = fields[1].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.TrimEnd('+') ?? "";
            if (state.Length == 0) continue;
            string? exit = hasExitCode && fields.Length > 2 && fields[2].Trim().Length > 0 ? fields[2].Trim() : null;
            foreach (int task in TaskIds(id[prefix.Length..]))
                tasks[task] = new TaskState(task, state, exit);
        }
        return tasks;
    }

    /// <summary>"7" → 7; "[1-3,5%2]" → 1, 2, 3, 5 (after % comes the throttle); anything else, or more than <see cref="JobRecord.MaxTasks"/> ids, → nothing.</summary>
    public static IEnumerable<int> TaskIds(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int single)) return [single];
        if (!text.StartsWith('[') || !text.EndsWith(']')) return [];
        string body = text[1..^1];
        int pct = body.IndexOf('%');
        if (pct >= 0) body = body[..pct];
        var ids = new List<int>();
        foreach (var part in body.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ends = part.Split('-');
            if (ends.Length == 1 && int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int one)) ids.Add(one);
            else if (ends.Length == 2 && int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out int a)
                && int.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out int b) && a <= b && b - a < JobRecord.MaxTasks)
                for (long k = a; k <= b; k++) ids.Add((int)k); // long: a range ending at int.MaxValue must end
            else return [];
            if (ids.Count > JobRecord.MaxTasks) return []; // more tasks than any job of verify's: not one of them
        }
        return ids;
    }

    /// <summary>
    /// What a task's log says about its end: the exit code of its "verify-task J_I: exit N" line, or null
    /// when there is none (still running, or killed before the line: by the time limit, the node, scancel).
    /// </summary>
    public static (bool Started, int? Exit) ParseLog(string? log)
    {
        if (log is null) return (false, null);
        bool started = false;
        int? exit = null;
        foreach (var line in log.Split('\n'))
        {
            if (!line.StartsWith(SbatchScript.Marker + " ", StringComparison.Ordinal)) continue;
            started = true;
            int at = line.IndexOf(": exit ", StringComparison.Ordinal);
            if (at < 0) continue;
            string rest = line[(at + ": exit ".Length)..];
            string number = new(rest.TakeWhile(char.IsAsciiDigit).ToArray());
            if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int rc)) exit = rc;
        }
        return (started, exit);
    }
}
