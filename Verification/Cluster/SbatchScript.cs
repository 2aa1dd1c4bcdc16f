using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Verify.Verification.Cluster;

/// <summary>
/// What one `verify submit` asks of Slurm: an array of <see cref="Tasks"/> tasks, task i running shard i/Tasks
/// of the experiment into the one shared results folder. Paths are absolute (tasks start elsewhere).
/// </summary>
/// <param name="Verify">The program the tasks run, as an argument list (the apphost, or dotnet and verify.dll).</param>
/// <param name="Sets">The --set overrides, passed on unchanged.</param>
/// <param name="MaxRuns">--max-runs when it was given (the tasks must plan the same runs), else null.</param>
/// <param name="SbatchArgs">Extra sbatch options (--sbatch-arg), one #SBATCH line each.</param>
/// <param name="Blas">--blas when it was given, passed on: an auto choice is calibrated on each node, and two kernels
/// can differ in the last bit, so results equal to the bit across nodes need one kernel named.</param>
internal sealed record ArrayJob(
    string ExperimentPath,
    string Name,
    int Runs,
    int Missing,
    int Tasks,
    string ResultsDirectory,
    string WorkingDirectory,
    IReadOnlyList<string> Verify,
    IReadOnlyList<string> Sets,
    long? MaxRuns,
    string? Partition,
    string? Time,
    int? CpusPerTask,
    string? Account,
    IReadOnlyList<string> SbatchArgs,
    DateTimeOffset Created,
    string? Blas = null)
{
    /// <summary>Where the scripts, the logs and jobs.json go: inside the results folder, so nothing is written elsewhere.</summary>
    public static string SlurmDirectoryOf(string resultsDirectory) => Path.Combine(resultsDirectory, "slurm");

    public string SlurmDirectory => SlurmDirectoryOf(ResultsDirectory);

    /// <summary>The tasks' log files, in Slurm's pattern (%A the array's job id, %a the task).</summary>
    public string LogPattern => Path.Combine(SlurmDirectory, "%A_%a.out");

    /// <summary>submit-&lt;UTC time&gt;.sh in the slurm folder.</summary>
    public string ScriptPath => Path.Combine(SlurmDirectory, $"submit-{Created.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.sh");
}

/// <summary>
/// The sbatch array script of an <see cref="ArrayJob"/>, and the checks on what goes into it. Every value
/// that reaches a shell line is single-quoted (<see cref="Quote"/>), so experiment paths and --set values
/// with spaces, quotes, $ or ; stay one argument; #SBATCH lines are comments to the shell, read by sbatch,
/// and take no line break (<see cref="CheckDirective"/>).
/// </summary>
internal static partial class SbatchScript
{
    /// <summary>The marker each task writes to its log at start and end; `verify status` reads the end line.</summary>
    public const string Marker = "verify-task";

    public static string Render(ArrayJob job)
    {
        var s = new StringBuilder();
        void L(string line = "") => s.Append(line).Append('\n');
        string when = job.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        L("#!/bin/bash");
        L($"# Written by `verify submit` at {when}: experiment '{job.Name}' ({OneLine(job.ExperimentPath)}),");
        string stored = job.Missing == job.Runs ? "none stored yet" : $"{job.Runs - job.Missing} already stored, skipped";
        L($"# {job.Runs} runs ({stored}) as an array of {job.Tasks} task{(job.Tasks == 1 ? "" : "s")}.");
        L($"# Task i runs shard i/{job.Tasks}: a fixed 1/{job.Tasks} of the runs, chosen by run id. All tasks write to one");
        L("# shared results folder: a run file is named by the hash of its settings and written atomically, so");
        L("# tasks never collide. Runs already stored are skipped, so submitting again (`verify submit` or");
        L("# `sbatch` on this file) runs only what is missing, such as the runs of a task that failed.");
        L($"#SBATCH --job-name={Directive("verify-" + job.Name)}");
        L($"#SBATCH --array=1-{job.Tasks}");
        L($"#SBATCH --output={Directive(job.LogPattern)}");
        L($"#SBATCH --chdir={Directive(job.WorkingDirectory)}");
        if (job.Partition is not null) L($"#SBATCH --partition={job.Partition}");
        if (job.Time is not null) L($"#SBATCH --time={job.Time}");
        if (job.CpusPerTask is { } c) L($"#SBATCH --cpus-per-task={c.ToString(CultureInfo.InvariantCulture)}");
        if (job.Account is not null) L($"#SBATCH --account={job.Account}");
        foreach (var a in job.SbatchArgs) L($"#SBATCH {a}");
        L("set -u");
        L("if [ -z \"${SLURM_ARRAY_TASK_ID:-}\" ]; then echo \"this is a Slurm array job: submit it with sbatch\" >&2; exit 2; fi");
        L("# As many runs side by side as CPUs allocated, one BLAS thread each: verify splits the cores it sees");
        L("# (DOTNET_PROCESSOR_COUNT) between its --jobs.");
        L("cpus=${SLURM_CPUS_PER_TASK:-1}");
        L("export DOTNET_PROCESSOR_COUNT=$cpus OPENBLAS_NUM_THREADS=$cpus OMP_NUM_THREADS=$cpus");
        L("task=\"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"");
        L($"echo \"{Marker} $task: shard ${{SLURM_ARRAY_TASK_ID}}/{job.Tasks} on $(hostname), $cpus CPU(s), started $(date -u +%FT%TZ)\"");
        var command = new List<string>(job.Verify.Select(Quote)) { "run", Quote(job.ExperimentPath) };
        var options = new List<string>
        {
            $"--shard \"${{SLURM_ARRAY_TASK_ID}}/{job.Tasks}\"",
            $"--results {Quote(job.ResultsDirectory)}",
            "--jobs \"$cpus\"",
        };
        if (job.MaxRuns is { } max) options.Add($"--max-runs {max.ToString(CultureInfo.InvariantCulture)}");
        if (job.Blas is not null) options.Add($"--blas {Quote(job.Blas)}");
        options.AddRange(job.Sets.Select(v => $"--set {Quote(v)}"));
        L(string.Join(' ', command) + " \\");
        L("  " + string.Join(" ", options));
        L("rc=$?");
        L($"echo \"{Marker} $task: exit $rc, ended $(date -u +%FT%TZ)\"");
        L("exit $rc");
        return s.ToString();
    }

    /// <summary>One shell word: single quotes, with each ' written as '\'' (nothing inside single quotes is special to the shell).</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    /// <summary>A shell word for a command shown to the user: as it is when plain, else <see cref="Quote"/>d.</summary>
    public static string Word(string text) => text.Length > 0 && text.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '/' or '.' or '_' or '-' or '=' or ',' or ':' or '+')
        ? text : Quote(text);

    /// <summary>A value on an #SBATCH line: as it is, or in double quotes when it has a space (sbatch reads those).</summary>
    private static string Directive(string value) => value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;

    private static string OneLine(string text) => new(text.Select(ch => char.IsControl(ch) ? '?' : ch).ToArray());

    /// <summary>
    /// A path that goes on an #SBATCH line (the results folder, the working folder): no line break, no
    /// double quote or backslash (sbatch's quoting), no % (Slurm's file-name patterns such as %A).
    /// </summary>
    public static void CheckDirectivePath(string path, string option)
    {
        if (path.Any(ch => char.IsControl(ch) || ch is '"' or '\\' or '%'))
            throw new InvalidInputException($"{option} '{OneLine(path)}' is not allowed for a Slurm job: its path may not contain a line break, \", \\ or % (sbatch reads them in #SBATCH lines)");
    }

    /// <summary>--partition and --account: Slurm names (letters, digits, _ . - and , between several partitions).</summary>
    public static string CheckName(string? value, string option)
    {
        if (value is null || !NamePattern().IsMatch(value))
            throw InvalidInputException.MustBe(option, $"'{OneLine(value ?? "")}'", "a Slurm name: letters, digits, _ . - (partitions: several separated by commas)");
        return value;
    }

    /// <summary>--time in one of Slurm's forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S, or UNLIMITED.</summary>
    public static string CheckTime(string? value)
    {
        if (value is null || !TimePattern().IsMatch(value))
            throw InvalidInputException.MustBe("--time", $"'{OneLine(value ?? "")}'", "a Slurm time limit: minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S or UNLIMITED (for example 12:00:00 or 2-00:00:00)");
        return value;
    }

    /// <summary>Options verify submit sets itself, or has its own flag for.</summary>
    private static readonly (string[] Names, string Why)[] Reserved =
    [
        (["--array", "-a"], "verify submit sets the array from --tasks"),
        (["--output", "-o", "--error", "-e"], "the logs go to <results>/slurm/%A_%a.out, where verify status reads them"),
        (["--chdir", "-D"], "tasks start in the folder verify submit ran in, like a local run"),
        (["--wrap", "--parsable"], "verify submit writes the script and reads the job id itself"),
        (["--partition", "-p"], "use --partition"),
        (["--time", "-t"], "use --time"),
        (["--cpus-per-task", "-c"], "use --cpus-per-task"),
        (["--account", "-A"], "use --account"),
    ];

    /// <summary>An --sbatch-arg: one sbatch option (starting with -), on one line, not one verify sets or has a flag for.</summary>
    public static string CheckSbatchArg(string? value)
    {
        string v = value ?? "";
        if (v.Any(char.IsControl))
            throw InvalidInputException.MustBe("--sbatch-arg", $"'{OneLine(v)}'", "one sbatch option on one line (no line break or control character)");
        if (!v.StartsWith('-') || v.Trim().Length < 2)
            throw InvalidInputException.MustBe("--sbatch-arg", $"'{v}'", "an sbatch option starting with - (for example --mem=4G or --qos=long)");
        string name = v.Split('=', ' ', '\t')[0];
        foreach (var (names, why) in Reserved)
            if (names.Contains(name, StringComparer.Ordinal) || (name.Length > 2 && names.Any(n => n.Length == 2 && name.StartsWith(n, StringComparison.Ordinal) && !name.StartsWith("--", StringComparison.Ordinal))))
                throw new InvalidInputException($"--sbatch-arg '{v}' is not allowed: {why}");
        return v;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(?:\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE|unlimited|infinite)$")]
    private static partial Regex TimePattern();
}
