using System.Text.Json.Nodes;
using CsCheck;
using Verify.Verification.Cluster;
using Verify.Verification.Tests.Cluster;
using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Hardening;

/// <summary>
/// Issue 22's "a scheduler that reads more than we meant": `verify submit` and `verify status` on sbatch options
/// that override what submit sets (in full, abbreviated, as a short letter, several to an argument), paths and
/// Slurm values that sbatch reads differently on #SBATCH lines, and a jobs.json or task log that is corrupt, huge,
/// a folder, a FIFO or a device. Every bad input is one "error:" line naming it, exit 2, nothing submitted (the fake
/// sbatch records each call) and nothing written outside the case's folder; status never hangs.
/// </summary>
[CancelAfter(120_000)]
public class SubmitCorpusTests
{
    private static int _tried, _clear;

    [OneTimeTearDown]
    public void Report() => TestContext.Progress.WriteLine($"submit/status bad inputs: {_tried} tried, {_clear} clear errors (exit 2), 0 internal errors, 0 files outside, 0 hangs");

    /// <summary>
    /// `verify submit tiny.json --tasks 2 --results {dir}/results` plus <paramref name="options"/>, with a fake sbatch:
    /// exit 2, one error line containing <paramref name="says"/>, no sbatch call, no script written.
    /// </summary>
    private static string Refused(string[] options, string says, Action<TempDir>? prepare = null)
        => Refused(options, (err, dir) => Assert.That(err, Does.StartWith("error: ").And.Contain(says.Replace("{dir}", dir.Path)), string.Join(' ', options)), prepare);

    /// <summary>As <see cref="Refused(string[], string, Action{TempDir}?)"/>, the error line checked by <paramref name="check"/> (given the case's folder).</summary>
    private static string Refused(string[] options, Action<string, TempDir> check, Action<TempDir>? prepare = null)
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "4242");
        dir.File("tiny.json", TinyExperiment.Json);
        prepare?.Invoke(dir);
        string[] args = ["submit", "{dir}/tiny.json", "--tasks", "2", "--results", "{dir}/results", .. options];
        var r = HardeningTests.RunChecked(args, dir.Path);
        _tried++;
        string shown = string.Join(' ', options);
        Assert.That(r.ExitCode, Is.EqualTo(2), shown + "\n" + r.Out + r.Err);
        _clear++;
        Assert.That(r.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), r.Err);
        check(r.Err, dir);
        Assert.That(File.Exists(slurm.SbatchCalls), Is.False, "nothing submitted: " + shown);
        string slurmDir = Path.Combine(dir.Path, "results", "slurm");
        Assert.That(Directory.Exists(slurmDir) && Directory.EnumerateFiles(slurmDir, "*.sh").Any(), Is.False, "no script written");
        return r.Err;
    }

    // ---- --sbatch-arg: one option, never one that submit sets -------------------------------------------------------

    /// <summary>The spellings of issue 22 (confirmed with sbatch 22.05: --arr=1-77 gave "array: 1-77"), and their kin.</summary>
    [TestCase("--mem=4G --array=1-1000", "must be one sbatch option")]
    [TestCase("--mem 4G --array=1-1000", "must be one sbatch option")]
    [TestCase("--mem=4G -a1-9", "must be one sbatch option")]
    [TestCase("--arr=1-77", "sbatch reads --arr as --array; verify submit sets the array from --tasks")]
    [TestCase("--arra 1-9", "sbatch reads --arra as --array")]
    [TestCase("--array=1-9", "verify submit sets the array from --tasks")]
    [TestCase("--outp=/tmp/x/%a.out", "sbatch reads --outp as --output; the logs go to")]
    [TestCase("--ou /tmp/x", "sbatch reads --ou as --output")]
    [TestCase("-o X", "sbatch reads -o as --output")]
    [TestCase("-oX", "sbatch reads -o as --output")]
    [TestCase("-e /tmp/e", "sbatch reads -e as --error")]
    [TestCase("--er=/tmp/e", "sbatch reads --er as --error")]
    [TestCase("-i /etc/passwd", "sbatch reads -i as --input")]
    [TestCase("--inp=/etc/passwd", "sbatch reads --inp as --input")]
    [TestCase("-a 1-9", "sbatch reads -a as --array")]
    [TestCase("-a1-9", "sbatch reads -a as --array")]
    [TestCase("--chd=/", "sbatch reads --chd as --chdir; tasks start in the folder verify submit ran in")]
    [TestCase("-D /", "sbatch reads -D as --chdir")]
    [TestCase("--pars", "sbatch reads --pars as --parsable; verify submit writes the script and reads the job id itself")]
    [TestCase("--parsable", "verify submit writes the script")]
    [TestCase("--wra=true", "sbatch reads --wra as --wrap")]
    [TestCase("--wrap=hostname", "verify submit writes the script")]
    [TestCase("-J x", "sbatch reads -J as --job-name")]
    [TestCase("--j=x", "sbatch reads --j as --job-name")]
    [TestCase("--exp=NONE", "sbatch cannot tell which option --exp abbreviates (--export, --export-file)")]
    [TestCase("--export=NONE", "the tasks run with the environment verify submit ran in")]
    [TestCase("--export-f=/tmp/env", "sbatch reads --export-f as --export-file")]
    [TestCase("--te", "sbatch reads --te as --test-only")]
    [TestCase("-W", "sbatch reads -W as --wait")]
    [TestCase("--wait", "verify submit returns once the job is queued")]
    [TestCase("-p debug", "sbatch reads -p as --partition; use --partition")]
    [TestCase("--part=debug", "sbatch reads --part as --partition")]
    [TestCase("-t 10", "sbatch reads -t as --time; use --time")]
    [TestCase("--tim=10", "sbatch cannot tell which option --tim abbreviates (--time, --time-min)")]
    [TestCase("-c4", "sbatch reads -c as --cpus-per-task; use --cpus-per-task")]
    [TestCase("--cpus-per-t=4", "sbatch reads --cpus-per-t as --cpus-per-task")]
    [TestCase("-A proj", "sbatch reads -A as --account; use --account")]
    [TestCase("--acc=proj", "sbatch cannot tell which option --acc abbreviates (--account, --acctg-freq)")]
    [TestCase("--a=1-9", "sbatch cannot tell which option --a abbreviates (--account, --acctg-freq, --array)")]
    // Several short options in one word: getopt reads -vo/tmp/x as -v -o /tmp/x (confirmed with sbatch 22.05).
    [TestCase("-vo/tmp/x", "sbatch reads it as -v followed by more options (-o…)")]
    [TestCase("-Qa1-5", "sbatch reads it as -Q followed by more options (-a…)")]
    [TestCase("-HJname", "sbatch reads it as -H followed by more options (-J…)")]
    [TestCase("-vv", "sbatch reads it as -v followed by more options (-v…)")]
    // One option, but not as sbatch would read it on its own line.
    [TestCase("--comment", "--comment needs a value (--comment=<value>); without one sbatch takes the next word")]
    [TestCase("--mem=", "--mem needs a value")]
    [TestCase("-q", "--qos needs a value")]
    [TestCase("--hold=yes", "--hold takes no value")]
    [TestCase("-H now", "--hold takes no value")]
    [TestCase("--nice 5", "--nice takes its value after = (--nice=<value>)")]
    [TestCase("--comment=a#b", "sbatch reads ', \", \\ and # on #SBATCH lines")]
    [TestCase("--comment=\"two words\"", "sbatch reads ', \", \\ and # on #SBATCH lines")]
    [TestCase("--constraint=\"a&b\"", "write the value without them")]
    [TestCase("--comment='x'", "write the value without them")]
    [TestCase("--comment=a\\ b", "write the value without them")]
    [TestCase("--comment=two words", "a value cannot contain spaces")]
    [TestCase("-X 1", "-X is not a short option of sbatch 22.05")]
    [TestCase("-z", "-z is not a short option of sbatch")]
    [TestCase("--", "must be one sbatch option")]
    [TestCase("-", "an sbatch option starting with -")]
    [TestCase("- x", "must be one sbatch option")]
    [TestCase("---mem=4G", "an sbatch option starting with -")]
    [TestCase("--=4G", "must be one sbatch option")]
    [TestCase("--me*m=4G", "must be one sbatch option")]
    [TestCase("--newer-option -o/tmp/x", "must be one sbatch option")]
    [TestCase("--newer-option=1 2", "must be one sbatch option")]
    [TestCase("mem=4G", "an sbatch option starting with -")]
    [TestCase("--mem=4G\n--array=1-9", "one sbatch option on one line")]
    [TestCase("--mem=4G\r", "one sbatch option on one line")]
    [TestCase("--mem=4G\u00a0--array=1-9", "one sbatch option in ASCII characters")]
    [TestCase("--comment=à--array=1-9", "one sbatch option in ASCII characters")]
    [TestCase("\u2013\u2013mem=4G", "one sbatch option in ASCII characters")]
    public void An_sbatch_arg_that_sbatch_would_read_as_more_or_as_a_reserved_option_is_refused(string arg, string says) =>
        Refused(["--sbatch-arg=" + arg], says); // with =: System.CommandLine reads a separate "--" or "--time=x" as its own

    [TestCase("--mem=4G")]
    [TestCase("--mem 4G")]
    [TestCase("--mem-per-c=2G")]
    [TestCase("-q long")]
    [TestCase("-qlong")]
    [TestCase("--hold")]
    [TestCase("-H")]
    [TestCase("--nice=5")]
    [TestCase("--nice")]
    [TestCase("-k")]
    [TestCase("--constraint=a&b")]
    [TestCase("--gres=gpu:1")]
    [TestCase("--mail-user=someone@example.org")]
    [TestCase("--time-min=10")]
    [TestCase("--wait-all-nodes=1")]
    [TestCase("--tres-per-task=cpu:2")]
    [TestCase("--newer-option value")]
    public void Other_sbatch_options_reach_their_own_sbatch_line(string arg)
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        var r = HardeningTests.RunChecked(["submit", cfg, "--tasks", "2", "--results", dir.Sub("results"), "--dry-run", "--sbatch-arg=" + arg], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).Last(), Is.EqualTo("#SBATCH " + arg));
    }

    /// <summary>The forms sbatch reads an option in: given the spelling of a name (a prefix, or its letter) and a value.</summary>
    private static string[] Forms(string spelling, string value) => spelling.StartsWith("--", StringComparison.Ordinal)
        ? [spelling, $"{spelling}={value}", $"{spelling} {value}"]
        : [spelling, spelling + value, $"{spelling} {value}", "-v" + spelling[1..] + value, "-Q" + spelling[1..]];

    /// <summary>
    /// Every way sbatch 22.05 reads a reserved option, from its own record (sbatch-22.05-prefixes.txt: every prefix
    /// it resolved to a reserved option, and every ambiguous prefix, which sbatch refuses and a newer one may read
    /// differently), plus the reserved short letters.
    /// </summary>
    private static IReadOnlyList<string> ReservedSpellings()
    {
        var reserved = SbatchOptions.All.Where(SbatchScript.IsReserved).ToList();
        var names = reserved.Select(o => o.Name).ToHashSet();
        var spellings = SbatchOptionsTests.Recorded().Where(r => names.Contains(r.Resolved) || (r.Resolved == "AMBIGUOUS" && names.Any(n => n.StartsWith(r.Prefix, StringComparison.Ordinal))))
            .Select(r => "--" + r.Prefix).ToList();
        spellings.AddRange(reserved.Where(o => o.Short is not null).Select(o => "-" + o.Short));
        return spellings;
    }

    [Test]
    public void Every_spelling_sbatch_reads_as_a_reserved_option_is_refused_in_every_form()
    {
        var spellings = ReservedSpellings();
        Assert.That(spellings, Has.Count.GreaterThan(100), "all prefixes of the 16 reserved options");
        Assert.That(spellings, Does.Contain("--arr").And.Contain("--outp").And.Contain("--chd").And.Contain("--pars").And.Contain("--wra").And.Contain("-o").And.Contain("-a"));
        int forms = 0;
        foreach (var spelling in spellings)
            foreach (var form in Forms(spelling, "1-9"))
            {
                forms++;
                Assert.That(() => SbatchScript.CheckSbatchArg(form), Throws.TypeOf<InvalidInputException>().With.Message.StartsWith($"--sbatch-arg"), form);
            }
        _tried += forms;
        _clear += forms;
        TestContext.Out.WriteLine($"{spellings.Count} spellings of reserved options in {forms} forms, all refused");
    }

    [Test]
    public void Every_prefix_sbatch_reads_as_another_option_passes_with_its_value()
    {
        var passing = SbatchOptionsTests.Recorded().Where(r => r.Resolved != "AMBIGUOUS")
            .Select(r => (r.Prefix, Option: SbatchOptions.All.Single(o => o.Name == r.Resolved))).Where(p => !SbatchScript.IsReserved(p.Option)).ToList();
        Assert.That(passing, Has.Count.GreaterThan(400));
        foreach (var (prefix, option) in passing)
        {
            string arg = option.Value == SbatchValue.None ? "--" + prefix : $"--{prefix}=1";
            Assert.That(SbatchScript.CheckSbatchArg(arg), Is.EqualTo(arg));
        }
    }

    /// <summary>Generated: a reserved spelling in a generated form with a generated value, through the whole command.</summary>
    [Test]
    public void Generated_reserved_spellings_are_refused_before_anything_is_submitted()
    {
        var spellings = ReservedSpellings();
        string[] values = ["1-9", "1-1000", "/tmp/x/%a.out", "/", "x", "NONE", "ALL,A=1", "10", "-1", "debug", "%A"];
        var gen = Gen.Select(Gen.Int[0, spellings.Count - 1], Gen.Int[0, values.Length - 1], Gen.Int[0, 4], Gen.Bool);
        gen.ForAll((s, v, f, after) =>
        {
            var forms = Forms(spellings[s], values[v]);
            string form = forms[f % forms.Length];
            // Alone, or after a harmless option: a reserved option is refused wherever it comes.
            string[] options = after ? ["--sbatch-arg=--mem=1G", "--sbatch-arg=" + form] : ["--sbatch-arg=" + form];
            Refused(options, $"--sbatch-arg '{form}'");
        }, iter: 60, threads: 1);
    }

    // ---- Paths and Slurm values on #SBATCH lines ------------------------------------------------------------------

    /// <summary>Confirmed with sbatch 22.05: --output=/x/res#x/%a.out sends the logs to /x/res; /x/res'q aborts sbatch.</summary>
    [TestCase("res#x")]
    [TestCase("res'q")]
    [TestCase("res\"q")]
    [TestCase("res\\q")]
    [TestCase("res%q")]
    [TestCase("res%A")]
    [TestCase("res\nq")]
    [TestCase("res\tq")]
    [TestCase("res\rq")]
    public void A_results_folder_sbatch_would_misread_is_refused_before_anything_is_written(string name)
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "4242");
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = Path.Combine(dir.Path, name);
        foreach (bool dry in new[] { false, true })
        {
            string[] args = dry ? ["submit", cfg, "--tasks", "2", "--results", results, "--dry-run"] : ["submit", cfg, "--tasks", "2", "--results", results];
            var r = HardeningTests.RunChecked(args, dir.Path);
            _tried++;
            Assert.That(r.ExitCode, Is.EqualTo(2), r.Out + r.Err);
            _clear++;
            Assert.That(r.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), r.Err);
            Errors.Refused(r, "--results", $"'{Printable(results)}'");
            Assert.That(r.Out, Is.Empty, "no script printed");
            Assert.That(Directory.Exists(results), Is.False, "nothing written");
            Assert.That(File.Exists(slurm.SbatchCalls), Is.False, "nothing submitted");
        }
    }

    private static string Printable(string text) => new(text.Select(ch => char.IsControl(ch) ? '?' : ch).ToArray());

    /// <summary>Confirmed with sbatch 22.05: --chdir=/x/w#y starts the tasks in /x/w.</summary>
    [TestCase("w#y")]
    [TestCase("w'y")]
    [TestCase("w\"y")]
    [TestCase("w%y")]
    [TestCase("w\\y")]
    public void A_working_folder_sbatch_would_misread_is_refused(string name)
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "4242");
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string work = Directory.CreateDirectory(Path.Combine(dir.Path, name)).FullName;
        string saved = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(work);
        try
        {
            var r = HardeningTests.RunChecked(["submit", cfg, "--tasks", "2", "--results", dir.Sub("results")], dir.Path);
            _tried++;
            Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
            _clear++;
            Assert.That(r.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), r.Err);
            Errors.Refused(r, "the current folder", $"'{work}'");
        }
        finally { Directory.SetCurrentDirectory(saved); }
        Assert.That(Directory.Exists(dir.Sub("results")), Is.False);
        Assert.That(File.Exists(slurm.SbatchCalls), Is.False);
        Assert.That(Directory.EnumerateFileSystemEntries(work), Is.Empty, "nothing written in the working folder");
    }

    [Test]
    public void A_results_folder_with_spaces_is_quoted_for_sbatch()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("my results");
        var r = HardeningTests.RunChecked(["submit", cfg, "--tasks", "2", "--results", results, "--dry-run"], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain($"#SBATCH --output=\"{results}/slurm/%A_%a.out\"\n"));
    }

    /// <summary>ASCII only, the whole value: .NET's $ matches before a final line break and \d matches every script's digits.</summary>
    [TestCase("--partition", "debug\n", "'debug?'")]
    [TestCase("--partition", "débug", "'débug'")]
    [TestCase("--partition", "debug,", "'debug,'")]
    [TestCase("--account", "proj\n", "'proj?'")]
    [TestCase("--account", "proj\r\n", "'proj??'")]
    [TestCase("--account", "proj#1", "'proj#1'")]
    [TestCase("--time", "10\n", "'10?'")]
    [TestCase("--time", "١٠", "'١٠'")]
    [TestCase("--time", "１０:００", "'１０:００'")]
    [TestCase("--time", "1-٢", "'1-٢'")]
    [TestCase("--time", "10 ", "'10 '")]
    [TestCase("--time", "10#x", "'10#x'")]
    public void Slurm_values_are_ascii_and_end_where_they_end(string option, string value, string shown)
        => Refused([option, value], (err, _) => Errors.Names(err, option, shown));

    // ---- jobs.json ----------------------------------------------------------------------------------------------

    /// <summary>A valid record of a 2-task job of the tiny experiment, as JSON to edit.</summary>
    private static JsonObject Record(string results) => new()
    {
        ["jobId"] = "900", ["cluster"] = null, ["experiment"] = "/x/tiny.json", ["name"] = "tiny", ["sets"] = new JsonArray(),
        ["tasks"] = 2, ["runs"] = 8, ["missing"] = 8, ["submitted"] = "2026-12-01T10:00:00+00:00",
        ["script"] = Path.Combine(results, "slurm", "submit-x.sh"), ["logs"] = Path.Combine(results, "slurm", "%A_%a.out"),
    };

    private static string Document(JsonNode? job) => new JsonObject { ["schema"] = "verify.slurm-jobs/1", ["jobs"] = new JsonArray(job) }.ToJsonString();

    private static string Edited(string results, string field, JsonNode? value, bool remove = false)
    {
        var job = Record(results);
        if (remove) job.Remove(field);
        else job[field] = value;
        return Document(job);
    }

    /// <summary>Corrupt jobs.json contents: each refused by submit before sbatch, and a warning for status.</summary>
    private static IEnumerable<(string Name, Func<string, string> Content, string Says)> Corruptions()
    {
        yield return ("sets null", r => Edited(r, "sets", null), "job 1 has no list of --set values");
        yield return ("sets missing", r => Edited(r, "sets", null, remove: true), "job 1 has no list of --set values");
        yield return ("a null set", r => Edited(r, "sets", new JsonArray((JsonNode?)null)), "job 1 has no list of --set values");
        yield return ("sets a string", r => Edited(r, "sets", "seeds=1"), "cannot be read");
        yield return ("tasks 0", r => Edited(r, "tasks", 0), "job 1 has tasks = 0 (1 to its 8 runs, at most 1,000,000)");
        yield return ("tasks -1", r => Edited(r, "tasks", -1), "job 1 has tasks = -1");
        yield return ("tasks 2^31 - 1", r => Edited(r, "tasks", int.MaxValue), "job 1 has tasks = 2147483647");
        yield return ("tasks 2^31 - 1 of as many runs", r => { var j = Record(r); j["tasks"] = int.MaxValue; j["runs"] = int.MaxValue; j["missing"] = 0; return Document(j); },
            "job 1 has tasks = 2147483647 (1 to its 2147483647 runs, at most 1,000,000)");
        yield return ("tasks 2^31", r => Edited(r, "tasks", 2147483648L), "cannot be read");
        yield return ("tasks over the runs", r => Edited(r, "tasks", 9), "job 1 has tasks = 9 (1 to its 8 runs");
        yield return ("tasks missing", r => Edited(r, "tasks", null, remove: true), "job 1 has tasks = 0");
        yield return ("tasks a string", r => Edited(r, "tasks", "2"), "cannot be read");
        yield return ("tasks 1.5", r => Edited(r, "tasks", 1.5), "cannot be read");
        yield return ("runs 0", r => Edited(r, "runs", 0), "job 1 has runs = 0");
        yield return ("missing -1", r => Edited(r, "missing", -1), "job 1 has missing = -1");
        yield return ("missing over the runs", r => Edited(r, "missing", 9), "job 1 has missing = 9");
        yield return ("a job id with a path", r => Edited(r, "jobId", "../x"), "job 1 has no valid job id");
        yield return ("no job id", r => Edited(r, "jobId", null, remove: true), "job 1 has no valid job id");
        yield return ("no name", r => Edited(r, "name", null, remove: true), "job 1 has a name, experiment, script or log pattern missing");
        yield return ("no logs", r => Edited(r, "logs", null), "job 1 has a name, experiment, script or log pattern missing");
        yield return ("a cluster with a line break", r => Edited(r, "cluster", "a\nb"), "job 1 has an empty cluster name or one with a control character");
        yield return ("a null job", r => Document(null), "job 1 has nothing (null)");
        yield return ("jobs null", r => """{ "schema": "verify.slurm-jobs/1", "jobs": null }""", "is not a list of jobs");
        yield return ("another schema", r => """{ "schema": "verify.slurm-jobs/9", "jobs": [] }""", "is not a list of jobs of schema verify.slurm-jobs/1");
        yield return ("null", r => "null", "cannot be read");
        yield return ("a list", r => "[]", "cannot be read");
        yield return ("truncated", r => Document(Record(r))[..40], "cannot be read");
        yield return ("nested 100 deep", r => new string('[', 100) + new string(']', 100), "cannot be read");
        yield return ("binary", r => "\u0001\u0002\u00ff", "cannot be read");
    }

    public static IEnumerable<TestCaseData> CorruptionCases() => Corruptions().Select(c => new TestCaseData(c.Name).SetName("jobs.json: " + c.Name));

    /// <summary>Submit refuses a jobs.json it cannot use before calling sbatch (after, the job would run unrecorded); status warns and goes on.</summary>
    [TestCaseSource(nameof(CorruptionCases))]
    public void A_corrupt_job_list_is_refused_before_submitting_and_a_warning_for_status(string name)
    {
        var c = Corruptions().Single(x => x.Name == name);
        using var d = new TempDir();
        using var slurm = new FakeSlurm(d.Sub("bin")).With("sbatch", "4242");
        string cfg = d.File("tiny.json", TinyExperiment.Json);
        string res = d.Sub("results");
        string path = JobFile.PathIn(res);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, c.Content(res));
        string before = File.ReadAllText(path);
        string says = c.Says;
        var submit = HardeningTests.RunChecked(["submit", cfg, "--tasks", "2", "--results", res], d.Path);
        _tried++;
        Assert.That(submit.ExitCode, Is.EqualTo(2), submit.Err);
        _clear++;
        Assert.That(submit.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), submit.Err);
        Assert.That(submit.Err, Does.StartWith($"error: {path}").And.Contain(says));
        Assert.That(Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "*.sh"), Is.Empty, "no script written");
        Assert.That(File.Exists(slurm.SbatchCalls), Is.False, "nothing submitted");
        var status = HardeningTests.RunChecked(["status", cfg, "--results", res], d.Path);
        Assert.That(status.ExitCode, Is.EqualTo(0), status.Err);
        Assert.That(status.Err, Does.StartWith($"warning: {path}").And.Contain(says));
        Assert.That(status.Out, Does.StartWith("tiny: 0/8 runs finished"));
        Assert.That(File.ReadAllText(path), Is.EqualTo(before), "the record is left as it was");
    }

    /// <summary>Not a regular file in place of jobs.json: a folder (the job would be submitted, then unrecorded), a FIFO, /dev/zero, 17 MiB.</summary>
    [TestCase("a folder", "is a folder: verify reads only regular files")]
    [TestCase("a FIFO", "is a FIFO: verify reads only regular files")]
    [TestCase("a link to /dev/zero", "is a character device: verify reads only regular files")]
    [TestCase("17 MiB", "is larger than the 16 MiB allowed for it")]
    [TestCase("a link to a folder", "is a folder")]
    public void A_job_list_that_is_not_a_regular_file_is_refused_not_read(string kind, string says)
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "4242");
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        string path = JobFile.PathIn(results);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        switch (kind)
        {
            case "a folder": Directory.CreateDirectory(path); break;
            case "a FIFO": SpecialFiles.Fifo(path); break;
            case "a link to /dev/zero": SpecialFiles.Zero(path); break;
            case "17 MiB": using (var f = File.Create(path)) f.SetLength(17 * 1024 * 1024); break;
            default: File.CreateSymbolicLink(path, Directory.CreateDirectory(dir.Sub("elsewhere")).FullName); break;
        }
        using var unblock = new SpecialFiles.Unblocker(path);
        var submit = HardeningTests.RunChecked(["submit", cfg, "--tasks", "2", "--results", results], dir.Path);
        _tried++;
        Assert.That(submit.ExitCode, Is.EqualTo(2), submit.Err);
        _clear++;
        Assert.That(submit.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), submit.Err);
        Assert.That(submit.Err, Does.StartWith($"error: the job list '{path}' ").And.Contain(says).And.Contain("fix or remove it"));
        Assert.That(File.Exists(slurm.SbatchCalls), Is.False, "refused before sbatch: a job must never run unrecorded");
        Assert.That(Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "*.sh"), Is.Empty, "no script written");

        var status = HardeningTests.RunChecked(["status", cfg, "--results", results], dir.Path);
        Assert.That(status.ExitCode, Is.EqualTo(0), status.Err);
        Assert.That(status.Err, Does.StartWith($"warning: the job list '{path}' ").And.Contain(says));
    }

    [Test]
    public void A_job_recorded_with_tasks_at_the_largest_int_cannot_make_status_loop_forever()
    {
        // Before: `for (int t = 1; t <= tasks; t++)` never ends at int.MaxValue (t wraps around), and each task sorted the plan.
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin"));
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        var job = Record(results);
        job["tasks"] = int.MaxValue;
        job["runs"] = int.MaxValue;
        Directory.CreateDirectory(Path.Combine(results, "slurm"));
        File.WriteAllText(JobFile.PathIn(results), Document(job));
        var status = HardeningTests.RunChecked(["status", cfg, "--results", results], dir.Path);
        _tried++;
        Assert.That(status.ExitCode, Is.EqualTo(0), status.Err);
        Assert.That(status.Err, Does.Contain("tasks = 2147483647"));
        Assert.That(status.Out, Does.Contain("no Slurm job recorded"));
    }

    // ---- task logs ------------------------------------------------------------------------------------------------

    [Test]
    public void Status_reports_task_logs_it_cannot_read_and_reads_the_ends_of_a_long_one()
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("no-slurm")); // no scheduler: the states come from the logs alone
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        string slurmDir = Path.Combine(results, "slurm");
        Directory.CreateDirectory(slurmDir);
        var job = Record(results);
        job["tasks"] = 5;
        File.WriteAllText(JobFile.PathIn(results), Document(job));
        string Log(int t) => Path.Combine(slurmDir, $"900_{t}.out");
        SpecialFiles.Fifo(Log(1));
        SpecialFiles.Zero(Log(2));
        Directory.CreateDirectory(Log(3));
        // Task 4: a 3 MiB log, its end line at the very end; task 5: a short one that failed.
        using (var w = new StreamWriter(Log(4)))
        {
            w.Write("verify-task 900_4: shard 4/5 on node, 1 CPU(s), started x\n");
            string progress = new string('.', 1023) + "\n";
            for (int k = 0; k < 3 * 1024; k++) w.Write(progress);
            w.Write("verify-task 900_4: exit 0, ended x\n");
        }
        File.WriteAllText(Log(5), "verify-task 900_5: shard 5/5\nverify-task 900_5: exit 3, ended x\n");

        using var unblock = new SpecialFiles.Unblocker(Log(1));
        var status = HardeningTests.RunChecked(["status", cfg, "--results", results], dir.Path);
        _tried += 3;
        Assert.That(status.ExitCode, Is.EqualTo(0), status.Err);
        var lines = status.Out.Split('\n');
        Assert.That(lines, Has.Some.EqualTo($"warning: task 1: the task log '{Log(1)}' is a FIFO: verify reads only regular files (its state is the scheduler's alone)"));
        Assert.That(lines, Has.Some.EqualTo($"warning: task 2: the task log '{Log(2)}' is a character device: verify reads only regular files (its state is the scheduler's alone)"));
        Assert.That(lines, Has.Some.EqualTo($"warning: task 3: the task log '{Log(3)}' is a folder: verify reads only regular files (its state is the scheduler's alone)"));
        Assert.That(lines, Has.Some.Match(@"^  1\s+1/5\s+0/2\s+UNKNOWN\s*$"));
        Assert.That(lines, Has.Some.Match(@"^  4\s+4/5\s+0/1\s+ENDED\s+0\s*$"), "the end line of a 3 MiB log is read");
        Assert.That(lines, Has.Some.Match(@"^  5\s+5/5\s+0/1\s+FAILED\s+3\s+log: "));
    }

    /// <summary>
    /// Status counts each task's runs in one pass (it went through the plan once per task before); the counts are
    /// ExperimentPlan.Shard's, whatever the number of tasks.
    /// </summary>
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(5)]
    [TestCase(8)]
    public void Each_tasks_runs_are_its_shard(int tasks)
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("no-slurm"));
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        Assert.That(CliRunner.Run("run", cfg, "--results", results, "--shard", $"1/{tasks}").ExitCode, Is.EqualTo(0));
        Directory.CreateDirectory(Path.Combine(results, "slurm"));
        var job = Record(results);
        job["tasks"] = tasks;
        File.WriteAllText(JobFile.PathIn(results), Document(job));
        var status = HardeningTests.RunChecked(["status", cfg, "--results", results], dir.Path);
        Assert.That(status.ExitCode, Is.EqualTo(0), status.Err);
        var plan = Verify.Verification.Experiments.ExperimentPlan.Expand(Verify.Verification.Experiments.ExperimentLoader.Load(cfg, []));
        for (int t = 1; t <= tasks; t++)
        {
            int count = Verify.Verification.Experiments.ExperimentPlan.Shard(plan, t, tasks).Count;
            int finished = t == 1 ? count : 0;
            Assert.That(status.Out.Split('\n'), Has.Some.Match($@"^  {t}\s+{t}/{tasks}\s+{finished}/{count}\s"), status.Out);
        }
    }
}
