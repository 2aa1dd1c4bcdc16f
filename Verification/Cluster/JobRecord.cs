using System.Globalization;
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
    /// <summary>Task <paramref name="task"/>'s log file.</summary>
    public string LogOf(int task) => Logs.Replace("%A", JobId, StringComparison.Ordinal).Replace("%a", task.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}

/// <summary>The file &lt;results&gt;/slurm/jobs.json: every job submitted for that results folder, oldest first.</summary>
internal sealed record JobFile(string Schema, IReadOnlyList<JobRecord> Jobs)
{
    public const string CurrentSchema = "verify.slurm-jobs/1";
    public const string FileName = "jobs.json";

    public static string PathIn(string resultsDirectory) => Path.Combine(ArrayJob.SlurmDirectoryOf(resultsDirectory), FileName);

    /// <summary>The jobs recorded in <paramref name="path"/>: none when the file is absent; an error naming the file when it cannot be read.</summary>
    public static IReadOnlyList<JobRecord> Read(string path)
    {
        if (!File.Exists(path)) return [];
        JobFile? file;
        try { file = Json.Read<JobFile>(File.ReadAllText(path)); }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or IOException or NotSupportedException or ArgumentException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{path} cannot be read ({ex.Message}): fix or remove it (it only lists submitted jobs for verify status)");
        }
        if (file.Schema != CurrentSchema || file.Jobs is null)
            throw new InvalidInputException($"{path} is not a list of jobs of schema {CurrentSchema}: fix or remove it (it only lists submitted jobs for verify status)");
        foreach (var j in file.Jobs)
            if (j is null || !SlurmOutput.IsJobId(j.JobId) || j.Tasks < 1 || j.Logs is null || j.Name is null)
                throw new InvalidInputException($"{path} holds a job without a valid id, task count, name or log pattern: fix or remove it");
        return file.Jobs;
    }

    /// <summary>Adds a job to the file, rewriting it atomically.</summary>
    public static void Append(string path, JobRecord job)
    {
        var jobs = Read(path).Append(job).ToList();
        AtomicFile.WriteAllText(path, Json.Write(new JobFile(CurrentSchema, jobs)));
    }
}
