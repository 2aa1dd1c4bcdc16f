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
    /// A path that goes on an #SBATCH line (the results folder, the working folder): no control character, and
    /// none of the characters sbatch reads on those lines: # starts a comment (confirmed with sbatch 22.05:
    /// --output=/x/res#x/%a.out sends the logs to /x/res), ' and " quote (an unmatched one aborts sbatch:
    /// "Unmatched `'`"), \ escapes, and % starts a file-name pattern (%A, %a). Spaces are fine: the line
    /// puts such a path in double quotes.
    /// </summary>
    public static void CheckDirectivePath(string path, string option)
    {
        if (path.Any(ch => char.IsControl(ch) || ch is '#' or '\'' or '"' or '\\' or '%'))
            throw new InvalidInputException($"{option} '{OneLine(path)}' is not allowed for a Slurm job: its path may not contain a line break or other control character, #, ', \", \\ or % (sbatch reads them on #SBATCH lines: # starts a comment, quotes and \\ quote, % is a file-name pattern)");
    }

    /// <summary>--partition and --account: Slurm names (ASCII letters, digits, _ . - and , between several partitions).</summary>
    public static string CheckName(string? value, string option)
    {
        if (value is null || !NamePattern().IsMatch(value))
            throw InvalidInputException.MustBe(option, $"'{OneLine(value ?? "")}'", "a Slurm name: letters, digits, _ . - (partitions: several separated by commas)");
        return value;
    }

    /// <summary>--time in one of Slurm's forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S, or UNLIMITED (ASCII digits only).</summary>
    public static string CheckTime(string? value)
    {
        if (value is null || !TimePattern().IsMatch(value))
            throw InvalidInputException.MustBe("--time", $"'{OneLine(value ?? "")}'", "a Slurm time limit: minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S or UNLIMITED (for example 12:00:00 or 2-00:00:00)");
        return value;
    }

    private const string Logs = "the logs go to <results>/slurm/%A_%a.out, where verify status reads them";
    private const string Submits = "verify submit writes the script and reads the job id itself";
    private const string Inherited = "the tasks run with the environment verify submit ran in (export a variable before verify submit to pass it on)";

    /// <summary>
    /// The sbatch options --sbatch-arg may not give, by their full names (every abbreviation and short letter
    /// sbatch reads as one of them is refused too): what the script sets, what has its own verify submit
    /// option, and what changes what runs, where its output goes, or what verify submit gets back from sbatch.
    /// </summary>
    private static readonly Dictionary<string, string> Reserved = new(StringComparer.Ordinal)
    {
        ["array"] = "verify submit sets the array from --tasks",
        ["output"] = Logs,
        ["error"] = Logs,
        ["input"] = "the tasks read no input",
        ["chdir"] = "tasks start in the folder verify submit ran in, like a local run",
        ["job-name"] = "verify submit names the job verify-<experiment>",
        ["wrap"] = Submits,
        ["parsable"] = Submits,
        ["test-only"] = "verify submit records the job sbatch queues (--dry-run prints the script and submits nothing)",
        ["wait"] = "verify submit returns once the job is queued (verify status follows it)",
        ["export"] = Inherited,
        ["export-file"] = Inherited,
        ["partition"] = "use --partition",
        ["time"] = "use --time",
        ["cpus-per-task"] = "use --cpus-per-task",
        ["account"] = "use --account",
    };

    /// <summary>Whether verify submit sets <paramref name="option"/> itself (or has a flag for it).</summary>
    public static bool IsReserved(SbatchOption option) => Reserved.ContainsKey(option.Canonical);

    /// <summary>
    /// An --sbatch-arg: exactly one sbatch option, as one of --name, --name=value, --name value, -x, -xvalue or
    /// -x value, written as it is on its own #SBATCH line. sbatch splits those lines at spaces, reads quotes,
    /// \ and # there and takes several options per line, so a value may not contain a space (it would be read
    /// as another word), nor ' " \ or #; and an option is refused when sbatch would read it (in full, abbreviated
    /// to a prefix, or as its letter) as one verify submit sets. An option sbatch <see cref="SbatchOptions.Version"/>
    /// does not know is passed on (a newer sbatch may have it; an older one refuses it when the job is submitted).
    /// ASCII only.
    /// </summary>
    public static string CheckSbatchArg(string? value)
    {
        string v = value ?? "";
        const string OneOption = "one sbatch option: --name=value, --name value, -x value or a flag such as --hold (for example --mem=4G or --qos=long); give each option its own --sbatch-arg";
        if (v.Any(char.IsControl))
            throw InvalidInputException.MustBe("--sbatch-arg", $"'{OneLine(v)}'", "one sbatch option on one line (no line break or control character)");
        // sbatch splits #SBATCH lines byte by byte with isspace(): outside ASCII a byte may count as a space in some
        // locales (0xA0, inside à or a no-break space), so only ASCII is passed on; sbatch's options need no more.
        if (v.Any(ch => !char.IsAscii(ch)))
            throw InvalidInputException.MustBe("--sbatch-arg", $"'{v}'", "one sbatch option in ASCII characters (sbatch reads #SBATCH lines byte by byte)");
        if (!v.StartsWith('-') || v.Trim().Length < 2 || v.StartsWith("---", StringComparison.Ordinal))
            throw InvalidInputException.MustBe("--sbatch-arg", $"'{v}'", "an sbatch option starting with - (for example --mem=4G or --qos=long)");
        if (v.Any(ch => ch is '#' or '\'' or '"' or '\\'))
            throw new InvalidInputException($"--sbatch-arg '{v}' is not allowed: sbatch reads ', \", \\ and # on #SBATCH lines (quotes, escapes, comments); write the value without them (no shell reads the line, so it needs no quoting)");
        var words = v.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 2)
            throw InvalidInputException.MustBe("--sbatch-arg", $"'{v}'", OneOption + " (a value cannot contain spaces: sbatch splits #SBATCH lines at spaces)");
        string first = words[0];
        if (first.Length < 2)
            throw InvalidInputException.MustBe("--sbatch-arg", $"'{v}'", OneOption);
        string? apart = words.Length == 2 ? words[1] : null;

        string shown;           // the option as the user wrote it: "--arr" or "-a"
        SbatchOption? option;   // what sbatch reads it as, when it knows it
        string? attached;       // the value written with the option: after = (long) or after the letter (short)
        if (first.StartsWith("--", StringComparison.Ordinal))
        {
            int eq = first.IndexOf('=');
            string name = eq < 0 ? first[2..] : first[2..eq];
            attached = eq < 0 ? null : first[(eq + 1)..];
            shown = "--" + name;
            if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
                throw InvalidInputException.MustBe("--sbatch-arg", $"'{v}'", OneOption);
            switch (SbatchOptions.Resolve(name))
            {
                case SbatchName.Ambiguous a:
                    throw new InvalidInputException($"--sbatch-arg '{v}' is not allowed: sbatch cannot tell which option {shown} abbreviates ({string.Join(", ", a.Candidates.Select(c => "--" + c.Name))}); write the option in full");
                case SbatchName.Option o:
                    option = o.Is;
                    break;
                default:
                    option = null;
                    break;
            }
        }
        else
        {
            char letter = first[1];
            shown = "-" + letter;
            attached = first.Length > 2 ? first[2..] : null;
            option = SbatchOptions.Short(letter)
                ?? throw new InvalidInputException($"--sbatch-arg '{v}' is not allowed: -{letter} is not a short option of sbatch {SbatchOptions.Version}; write the option by its long name (--name=value)");
            if (option.Value == SbatchValue.None && attached is not null)
                throw new InvalidInputException($"--sbatch-arg '{v}' is not allowed: sbatch reads it as {shown} followed by more options (-{attached[0]}…); give each option its own --sbatch-arg");
        }

        if (option is null)
        {
            // Unknown here: it cannot be checked, but a second word is its value at most (never an option, nor after --name=value).
            if (apart is not null && (apart.StartsWith('-') || attached is not null))
                throw InvalidInputException.MustBe("--sbatch-arg", $"'{v}'", OneOption);
            return v;
        }
        string full = "--" + option.Canonical;
        if (Reserved.TryGetValue(option.Canonical, out string? why))
            throw new InvalidInputException($"--sbatch-arg '{v}' is not allowed: {(shown == full ? "" : $"sbatch reads {shown} as {full}; ")}{why}");
        switch (option.Value)
        {
            case SbatchValue.None when attached is not null || apart is not null:
                throw new InvalidInputException($"--sbatch-arg '{v}' is not allowed: {full} takes no value");
            case SbatchValue.Optional when apart is not null:
                throw new InvalidInputException($"--sbatch-arg '{v}' is not allowed: {full} takes its value after = ({full}=<value>), or none; sbatch would not read '{apart}' as its value");
            case SbatchValue.Required when attached is not null && apart is not null:
                throw InvalidInputException.MustBe("--sbatch-arg", $"'{v}'", OneOption + " (a value cannot contain spaces: sbatch splits #SBATCH lines at spaces)");
            case SbatchValue.Required when string.IsNullOrEmpty(attached) && apart is null:
                throw new InvalidInputException($"--sbatch-arg '{v}' is not allowed: {full} needs a value ({full}=<value>); without one sbatch takes the next word of the script as its value");
        }
        return v;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(,[A-Za-z0-9_.\-]+)*\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(?:[0-9]+|[0-9]+:[0-9]{1,2}|[0-9]+:[0-9]{1,2}:[0-9]{1,2}|[0-9]+-[0-9]+|[0-9]+-[0-9]+:[0-9]{1,2}|[0-9]+-[0-9]+:[0-9]{1,2}:[0-9]{1,2}|UNLIMITED|INFINITE|unlimited|infinite)\z")]
    private static partial Regex TimePattern();
}
