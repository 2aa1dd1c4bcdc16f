using Verify.Verification.Settings;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Verify.Verification.Experiments;
using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Hardening;

/// <summary>Each hardening rule of issue 11, on the inputs that broke it.</summary>
public class HardeningTests
{
    /// <summary>Runs a command in-process and checks the rules every bad input must follow.</summary>
    internal static CliRunner.Result RunChecked(string[] args, string dir)
    {
        var cwd = Directory.GetCurrentDirectory();
        var before = Directory.EnumerateFileSystemEntries(cwd).ToHashSet();
        var r = CliRunner.Run(args.Select(a => a.Replace("{dir}", dir)).ToArray());
        Assert.That(r.Err, Does.Not.Contain("internal error"), "exit 70 is for bugs only: " + r.Err);
        Assert.That(r.ExitCode, Is.AnyOf(0, 1, 2, 3, 130, 143), r.Err);
        if (r.ExitCode is 2)
            Assert.That(r.Err.Split('\n').Count(l => l.StartsWith("error:", StringComparison.Ordinal)), Is.EqualTo(1), "one line: " + r.Err);
        Assert.That(Directory.EnumerateFileSystemEntries(cwd).Where(e => !before.Contains(e)), Is.Empty, "nothing written outside the folders named");
        return r;
    }

    public static IEnumerable<TestCaseData> Corpus() => BadInputCorpus.Cases().Select(c => new TestCaseData(c).SetName("Bad input: " + c.Name));

    [TestCaseSource(nameof(Corpus))]
    public void Bad_input_gets_its_exit_code_and_one_clear_line(object data)
    {
        var c = (BadInputCorpus.Case)data;
        using var dir = new TempDir();
        foreach (var (name, content) in c.Files ?? []) dir.File(name, content);
        var r = RunChecked(c.Args, dir.Path);
        BadInputCorpus.AssertSays(c, r);
        Assert.That(Directory.Exists(Path.Combine(dir.Path, "results", "runs")) && Directory.EnumerateFiles(Path.Combine(dir.Path, "results", "runs")).Any(),
            Is.False, "refused before any run was computed");
    }

    /// <summary>A baseline of the tiny experiment, made once for the baseline cases.</summary>
    private static string MakeBaseline(TempDir dir)
    {
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string baseline = dir.Sub("baseline.json");
        var b = CliRunner.Run("baseline", cfg, "--results", dir.Sub("results"), "--out", baseline, "--set", "grid.d=30", "--set", "seeds=1");
        Assert.That(b.ExitCode, Is.EqualTo(0), b.Err);
        return baseline;
    }

    [Test]
    public void A_baseline_run_id_can_never_name_a_path()
    {
        using var dir = new TempDir();
        string baseline = MakeBaseline(dir);
        string outside = Path.Combine(dir.Path, "outside");
        Directory.CreateDirectory(outside);
        foreach (var id in new[] { "../../../outside/x", Path.Combine(outside, "y"), "0123456789abcdef" })
        {
            var doc = JsonNode.Parse(File.ReadAllText(baseline))!;
            doc["runs"]![0]!["id"] = id;
            string edited = dir.File("edited.json", doc.ToJsonString());
            var r = RunChecked(["regress", edited], dir.Path);
            Errors.Refused(r, "run id", $"'{id}'", "expected");
        }
        Assert.That(Directory.EnumerateFileSystemEntries(outside), Is.Empty);
        Assert.That(File.Exists(Path.Combine(Path.GetTempPath(), "x.json")), Is.False);
    }

    [Test]
    public void A_baseline_must_be_complete_and_of_its_own_experiment()
    {
        using var dir = new TempDir();
        string baseline = MakeBaseline(dir);
        var noMetrics = JsonNode.Parse(File.ReadAllText(baseline))!;
        noMetrics["runs"]![0]!.AsObject().Remove("metrics");
        var r = RunChecked(["regress", dir.File("no-metrics.json", noMetrics.ToJsonString())], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Match($@"\brun {noMetrics["runs"]![0]!["id"]}\b.*\bmetrics\b.*\bdivergence\b"), "the run, and the two fields it lacks");

        // The runs of another experiment (other master seed), under this baseline's configuration.
        string other = dir.File("other.json", TinyExperiment.Json.Replace("\"masterSeed\": 5", "\"masterSeed\": 6"));
        var b = CliRunner.Run("baseline", other, "--results", dir.Sub("results-other"), "--out", dir.Sub("other-baseline.json"), "--set", "grid.d=30", "--set", "seeds=1");
        Assert.That(b.ExitCode, Is.EqualTo(0), b.Err);
        var mixed = JsonNode.Parse(File.ReadAllText(baseline))!;
        mixed["runs"] = JsonNode.Parse(File.ReadAllText(dir.Sub("other-baseline.json")))!["runs"]!.DeepClone();
        r = RunChecked(["regress", dir.File("mixed.json", mixed.ToJsonString())], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Match($@"\brun {mixed["runs"]![0]!["id"]}\b.*\bexperiment 'tiny'"), "the run, and the experiment it is not of");

        Assert.That(RunChecked(["regress", baseline], dir.Path).ExitCode, Is.EqualTo(0), "the untouched baseline passes");
    }

    [Test]
    public void Unreadable_results_are_reported_and_recomputed()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        Assert.That(CliRunner.Run("run", cfg, "--results", results).ExitCode, Is.EqualTo(0));
        var files = Directory.GetFiles(Path.Combine(results, "runs"), "*.json").Order().Take(3).ToList();
        foreach (var f in files) File.WriteAllText(f, "{ not json");

        var noRun = RunChecked(["report", cfg, "--results", results, "--out", dir.Sub("report"), "--no-run"], dir.Path);
        Assert.That(noRun.ExitCode, Is.EqualTo(0), noRun.Err);
        Assert.That(noRun.Err, Does.Match(@"(?m)^warning: .*\b3 result file\(s\).*\bunreadable\b.*--no-run"));

        var rerun = RunChecked(["run", cfg, "--results", results], dir.Path);
        Assert.That(rerun.ExitCode, Is.EqualTo(0), rerun.Err);
        Assert.That(rerun.Err, Does.Contain("3 result file(s)").And.Contain("recomputed"));
        Assert.That(rerun.Out, Does.Contain("3 computed"));
    }

    [Test]
    public void Shards_split_evenly_and_deterministically()
    {
        using var dir = new TempDir();
        var plan = ExperimentPlan.Expand(ExperimentLoader.Load(dir.File("e.json", TinyExperiment.Json), ["seeds=6"])); // 4 cells × 6 = 24 runs
        Assert.That(plan, Has.Count.EqualTo(24));
        foreach (int n in new[] { 2, 5, 7, 24, 25 })
        {
            var shards = Enumerable.Range(1, n).Select(i => ExperimentPlan.Shard(plan, i, n)).ToList();
            Assert.That(shards.Max(s => s.Count) - shards.Min(s => s.Count), Is.LessThanOrEqualTo(1), $"N = {n}");
            Assert.That(shards.SelectMany(s => s.Select(r => r.Id)), Is.EquivalentTo(plan.Select(r => r.Id)), "a partition");
        }
        Assert.That(ExperimentPlan.Shard(plan, 1, 2).Select(r => r.Id), Is.EqualTo(ExperimentPlan.Shard(plan.Reverse().ToList(), 1, 2).Select(r => r.Id)),
            "independent of the plan's order");
    }

    [Test]
    public void Merge_copies_only_run_files_named_by_their_settings()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        Assert.That(CliRunner.Run("run", cfg, "--results", dir.Sub("a"), "--set", "seeds=1").ExitCode, Is.EqualTo(0));
        var runs = Path.Combine(dir.Sub("a"), "runs");
        File.Copy(Directory.GetFiles(runs).First(), Path.Combine(runs, "..%2f..%2fevil.json"));
        var r = RunChecked(["merge", "--into", dir.Sub("merged"), dir.Sub("a")], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("4 runs copied").And.Contain("1 files skipped"));
        Assert.That(Directory.GetFiles(Path.Combine(dir.Sub("merged"), "runs")).Select(Path.GetFileNameWithoutExtension), Is.All.Matches<string>(RunId.IsValid));

        // A file named by a run id that holds another run's result lies about it: the merge is refused, nothing copied.
        File.Copy(Directory.GetFiles(runs).First(f => !f.Contains('%')), Path.Combine(runs, "0123456789abcdef.json"));
        r = RunChecked(["merge", "--into", dir.Sub("merged2"), dir.Sub("a")], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Match(@"\b0123456789abcdef\.json\b.*\bsettings\b.*\brun id (?!0123456789abcdef)[0-9a-f]{16}\b.*\b0123456789abcdef\b"),
            "the file, and the run id its settings hash to, which is not its name");
        Assert.That(Directory.Exists(dir.Sub("merged2")), Is.False, "nothing written");
    }

    private static string? VerifyDll()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "verify.dll");
        return File.Exists(dll) ? dll : null;
    }

    /// <summary>Runs verify as a process (signals and closed streams cannot be tested in-process).</summary>
    private static Process Start(string shellCommand) => Process.Start(new ProcessStartInfo("/bin/bash", ["-c", shellCommand])
    {
        RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
    })!;

    [Test]
    [Category(Categories.Slow)]
    public void A_closed_stderr_keeps_the_exit_code()
    {
        string dll = VerifyDll() ?? throw new IgnoreException("verify.dll is not next to the tests");
        using var p = Start($"dotnet '{dll}' train --d abc 2>&-; echo \"code=$?\"; dotnet '{dll}' check --d 1000 >&- ; echo \"code=$?\" >&2");
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(stdout, Does.Contain("code=2"), "a bad input with stderr closed: 2, not an abort (134)");
        Assert.That(stderr, Does.Contain("code=0"), "a good check with stdout closed: 0, not an internal error");
    }

    [TestCase("TERM", 143)]
    [TestCase("INT", 130)]
    [Category(Categories.Slow)]
    public void A_signal_stops_a_sweep_keeps_finished_runs_and_says_interrupted(string signal, int code)
    {
        string dll = VerifyDll() ?? throw new IgnoreException("verify.dll is not next to the tests");
        using var dir = new TempDir();
        string cfg = dir.File("slow.json", TinyExperiment.Json.Replace("\"iterations\": 8", "\"iterations\": 300000"));
        // The signal arrives once the sweep has started (its first progress line), sent by bash's kill to verify's process.
        // `set -m`: without job control bash starts background commands with SIGINT ignored, which Ctrl-C at a terminal is not.
        // `env --default-signal=INT`: a SIGINT ignored when the tests started (they were run in the background of a shell
        // without job control, as `cmd &` in a script does) stays ignored in every child, bash's `set -m` included, and
        // verify rightly keeps it ignored then; the test is about a process that can be interrupted.
        using var q = Start($"set -m; env --default-signal=INT dotnet '{dll}' run '{cfg}' --results '{dir.Sub("r")}' --jobs 1 2>'{dir.Sub("err")}' & pid=$!; " +
                            $"for i in $(seq 1 300); do grep -q started '{dir.Sub("err")}' 2>/dev/null && break; sleep 0.1; done; sleep 1; kill -{signal} $pid; wait $pid; echo \"code=$?\"");
        string stdout = q.StandardOutput.ReadToEnd();
        q.WaitForExit();
        string err = File.ReadAllText(dir.Sub("err"));
        Assert.That(stdout, Does.Contain($"code={code}"), err);
        Assert.That(err, Does.Contain("interrupted"));
        Assert.That(err, Does.Not.Contain("done in"), "an interrupted sweep does not say done");
    }
}
