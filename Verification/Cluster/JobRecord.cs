using System.Globalization;
using Verify.Simulation.Files;
using Verify.Verification.Results;

namespace Verify.Verification.Cluster;

/// <summary>
/// One submitted array job, as `verify submit` records it in &lt;results&gt;/slurm/jobs.json for `verify status`.
/// </summary>
/// <param name="Cluster">The cluster sbatch named (on a federation), else null.</param>
/// <param name="Experiment">The experiment file's absolute path.</param>
/// <param name="Sets">The --set overrides the tasks run with.</param>
/// <param name="Runs">The experiment's runs when submitted; Missing of them were not yet stored.</param>
/// <param name="Logs">The tasks' log files in Slurm's pattern (%A job id, %a task).</param>
internal sealed record JobRecord(
    string JobId,
    string? Cluster,
    string Experiment,
    string Name,
    IReadOnlyList<string> Sets,
    int Tasks,
    int Runs,
    int Missing,
    DateTimeOffset Submitted,
    string Script,
    string Logs)
{
    /// <summary>
    /// The most tasks a job may have: the tasks verify submit asks for and a recorded job's, so that `verify status`,
    /// which goes through every task, stays bounded. Slurm's own limit is MaxArraySize − 1 (default 1000, at most
    /// 4,000,000); a million tasks is far beyond any sensible split (a task per run at most).
    /// </summary>
    public const int MaxTasks = 1_000_000;

    /// <summary>Task <paramref name="task"/>'s log file.</summary>
    public string LogOf(int task) => Logs.Replace("%A", JobId, StringComparison.Ordinal).Replace("%a", task.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>What is wrong with a record read from a file (a field missing or out of range), or null when it can be used.</summary>
    public string? Problem()
    {
        if (!SlurmOutput.IsJobId(JobId)) return "no valid job id";
        if (Name is null || Experiment is null || Script is null || Logs is null) return "a name, experiment, script or log pattern missing";
        if (Sets is null || Sets.Any(s => s is null)) return "no list of --set values (\"sets\": [] when there are none)";
        if (Cluster is not null && (Cluster.Length == 0 || Cluster.Any(char.IsControl))) return "an empty cluster name or one with a control character";
        if (Runs < 1) return $"runs = {Runs} (a job has at least one run)";
        if (Missing < 0 || Missing > Runs) return $"missing = {Missing} (0 to its {Runs} runs)";
        if (Tasks < 1 || Tasks > Math.Min(Runs, MaxTasks))
            return $"tasks = {Tasks} (1 to its {Runs} runs, at most {MaxTasks.ToString("N0", CultureInfo.InvariantCulture)})";
        return null;
    }
}

/// <summary>The file &lt;results&gt;/slurm/jobs.json: every job submitted for that results folder, oldest first.</summary>
internal sealed record JobFile(string Schema, IReadOnlyList<JobRecord> Jobs)
{
    public const string CurrentSchema = "verify.slurm-jobs/1";
    public const string FileName = "jobs.json";

    public static string PathIn(string resultsDirectory) => Path.Combine(ArrayJob.SlurmDirectoryOf(resultsDirectory), FileName);

    /// <summary>The most a jobs.json may hold: thousands of records take well under a megabyte.</summary>
    public const long MaxBytes = 16 * InputFile.MiB;

    private const string Hint = "fix or remove it (it only lists submitted jobs for verify status)";

    /// <summary>
    /// The jobs recorded in <paramref name="path"/>: none when nothing is there; an error naming the file when it is
    /// not a regular file (a folder, a FIFO, a device: never read), is larger than <see cref="MaxBytes"/>, or is
    /// not a valid list of jobs.
    /// </summary>
    public static IReadOnlyList<JobRecord> Read(string path)
    {
        // File.Exists is false for a folder, a FIFO is "a file": ask what is there before reading.
        if (!File.Exists(path) && InputFile.Kind(path) is null) return [];
        JobFile? file;
        try { file = Json.Read<JobFile>(InputFile.ReadAllText(path, "the job list", MaxBytes)); }
        catch (InvalidInputException ex)
        {
            throw new InvalidInputException($"{ex.Message}; {Hint}");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or NotSupportedException or ArgumentException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{InputFile.Printable(path)} cannot be read ({OneLine(ex.Message)}): {Hint}");
        }
        if (file.Schema != CurrentSchema || file.Jobs is null)
            throw new InvalidInputException($"{InputFile.Printable(path)} is not a list of jobs of schema {CurrentSchema}: {Hint}");
        for (int k = 0; k < file.Jobs.Count; k++)
        {
            string? problem = file.Jobs[k] is { } j ? j.Problem() : "nothing (null)";
            if (problem is not null)
                throw new InvalidInputException($"{InputFile.Printable(path)}: job {k + 1} has {problem}: {Hint}");
        }
        return file.Jobs;
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Adds a job to the file, rewriting it atomically.</summary>
    public static void Append(string path, JobRecord job)
    {
        var jobs = Read(path).Append(job).ToList();
        AtomicFile.WriteAllText(path, Json.Write(new JobFile(CurrentSchema, jobs)));
    }
}
