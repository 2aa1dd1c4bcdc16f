using Verify.Verification.Cluster;
using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Cluster;

/// <summary>`verify submit` and `verify status` in-process, with stand-ins for the Slurm commands (no scheduler needed).</summary>
public class SubmitAndStatusTests
{
    private static string[] Files(string root) => Directory.Exists(root)
        ? Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order().ToArray() : [];

    [Test]
    public void Dry_run_prints_the_script_and_writes_nothing()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        var r = CliRunner.Run("submit", cfg, "--tasks", "3", "--results", results, "--dry-run", "--set", "seeds=1", "--time", "10", "--sbatch-arg=--mem=1G");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.StartWith("#!/bin/bash\n").And.Contain("#SBATCH --array=1-3\n").And.Contain("#SBATCH --time=10\n").And.Contain("#SBATCH --mem=1G\n"));
        Assert.That(r.Out, Does.Contain("4 runs (none stored yet)"), "seeds=1 applied to the plan");
        Assert.That(r.Out, Does.Contain($"--results '{results}'").And.Contain("--set 'seeds=1'").And.Contain($"run '{cfg}'"));
        Assert.That(r.Out, Does.Contain($"#SBATCH --output={results}/slurm/%A_%a.out"));
        Assert.That(r.Out, Does.Not.Contain("--blas"), "without --blas each node chooses");
        Assert.That(r.Err, Does.Contain("dry run: nothing written or submitted"));
        Assert.That(Files(dir.Path), Is.EqualTo(new[] { "tiny.json" }));
    }

    [TestCase("managed", "--blas 'managed'")]
    [TestCase(" OpenBLAS", "--blas 'openblas'")]
    public void A_kernel_named_with_blas_is_passed_to_every_task(string given, string line)
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        var r = CliRunner.Run("submit", cfg, "--tasks", "2", "--results", dir.Sub("results"), "--dry-run", "--blas", given);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain(line));
    }

    [TestCase(new[] { "--tasks", "0" }, "--tasks", "'0'", null)]
    [TestCase(new[] { "--tasks", "2", "--blas", "mkl" }, "--blas", "mkl", "openblas")]
    [TestCase(new[] { "--tasks", "three" }, "--tasks", "'three'", null)]
    [TestCase(new[] { "--tasks", "9" }, "--tasks", "9", "8")]
    [TestCase(new[] { "--tasks", "2", "--cpus-per-task", "-1" }, "--cpus-per-task", "'-1'", null)]
    [TestCase(new[] { "--tasks", "2", "--time", "2 hours" }, "--time", "'2 hours'", null)]
    [TestCase(new[] { "--tasks", "2", "--partition", "gpu;rm -rf" }, "--partition", "'gpu;rm -rf'", null)]
    [TestCase(new[] { "--tasks", "2", "--account", "" }, "--account", "''", null)]
    [TestCase(new[] { "--tasks", "2", "--sbatch-arg", "--array=1-5" }, "--sbatch-arg", "'--array=1-5'", null)]
    [TestCase(new[] { "--tasks", "2", "--set", "seeds=zero" }, "seeds", "zero", null)]
    [TestCase(new string[0], "--tasks", null, null)]
    public void Bad_input_is_one_line_naming_it_exit_2_and_nothing_written(string[] options, string field, string? value, string? allowed)
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "1");
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        var r = CliRunner.Run(["submit", cfg, "--results", dir.Sub("results"), .. options]);
        Errors.Refused(r, field, value, allowed);
        Assert.That(Directory.Exists(dir.Sub("results")), Is.False, "nothing written");
        Assert.That(File.Exists(slurm.SbatchCalls), Is.False, "nothing submitted");
    }

    [Test]
    public void A_plan_above_max_runs_names_its_count_the_limit_and_the_option_exit_2_and_nothing_written()
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "1");
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        var r = CliRunner.Run("submit", cfg, "--results", dir.Sub("results"), "--tasks", "2", "--max-runs", "3");
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Out + r.Err);
        Errors.OneErrorLine(r.Err);
        // The experiment, its 8 runs, the limit 3 and the option that raises it, in that order.
        Assert.That(r.Err, Does.Match(@"tiny\.json'\D*\b8\b.*\b3\b.*--max-runs"));
        Assert.That(Directory.Exists(dir.Sub("results")), Is.False, "nothing written");
        Assert.That(File.Exists(slurm.SbatchCalls), Is.False, "nothing submitted");
    }

    [Test]
    public void A_results_folder_that_is_a_file_is_refused_before_submitting()
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "1");
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string file = dir.File("results", "not a folder");
        var r = CliRunner.Run("submit", cfg, "--tasks", "2", "--results", file);
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Err, Does.StartWith("error: --results"));
        Assert.That(File.Exists(slurm.SbatchCalls), Is.False);
    }

    [Test]
    public void A_dry_run_refuses_a_results_folder_that_is_a_file()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string file = dir.File("results", "not a folder");
        var r = CliRunner.Run("submit", cfg, "--tasks", "2", "--results", file, "--dry-run");
        Errors.Refused(r, "--results", $"'{file}'", allowed: "folder");
        Assert.That(r.Out, Is.Empty);
    }

    [Test]
    public void Without_sbatch_submit_exits_2_saying_so()
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("empty-bin"));
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        var r = CliRunner.Run("submit", cfg, "--tasks", "2", "--results", dir.Sub("results"));
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Errors.OneErrorLine(r.Err);
        // Names the program, the variable it was looked for on, and the option that needs neither.
        Assert.That(r.Err, Does.Contain("sbatch").And.Contain("$VERIFY_SLURM_BIN").And.Contain("--dry-run"));
        Assert.That(Directory.Exists(Path.Combine(dir.Sub("results"), "slurm")) && Directory.GetFiles(Path.Combine(dir.Sub("results"), "slurm")).Length > 0, Is.False);
    }

    [Test]
    public void When_sbatch_refuses_submit_exits_2_with_its_message_and_records_no_job()
    {
        using var dir = new TempDir();
        const string refusal = "sbatch: error: Batch job submission failed: Invalid partition name specified";
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "", exit: 1, stderr: refusal);
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        var r = CliRunner.Run("submit", cfg, "--tasks", "2", "--results", results, "--partition", "nope");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Errors.OneErrorLine(r.Err);
        Assert.That(r.Err, Does.Contain(refusal), "sbatch's own message, passed on");
        Assert.That(File.Exists(JobFile.PathIn(results)), Is.False);
    }

    [Test]
    public void Submit_writes_the_script_submits_it_and_records_the_job()
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "4242");
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        var r = CliRunner.Run("submit", cfg, "--tasks", "3", "--results", results, "--set", "iterations=4");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        // The job id first (what a script reads); the numbers shown are the job record's, checked below.
        Assert.That(r.Out, Does.StartWith("submitted job 4242:"));
        Assert.That(r.Out.Split('\n')[0], Does.Contain("3").And.Contain("8").And.Contain("'tiny'"));
        var job = JobFile.Read(JobFile.PathIn(results)).Single();
        Assert.That((job.JobId, job.Tasks, job.Runs, job.Missing, job.Name), Is.EqualTo(("4242", 3, 8, 8, "tiny")));
        Assert.That(job.Sets, Is.EqualTo(new[] { "iterations=4" }));
        Assert.That(job.Experiment, Is.EqualTo(Path.GetFullPath(cfg)));
        Assert.That(File.ReadAllLines(slurm.SbatchCalls), Is.EqualTo(new[] { "--parsable", job.Script }));
        Assert.That(Path.GetDirectoryName(job.Script), Is.EqualTo(Path.Combine(results, "slurm")));
        Assert.That(File.ReadAllText(job.Script), Does.Contain("#SBATCH --array=1-3").And.Contain("--set 'iterations=4'"));
        Assert.That(job.LogOf(2), Is.EqualTo(Path.Combine(results, "slurm", "4242_2.out")));

        // A second submission of the same experiment is recorded after the first; the first still running is pointed out.
        slurm.With("squeue", "4242_1|RUNNING\n4242_2|COMPLETED\n4242_3|PENDING");
        var again = CliRunner.Run("submit", cfg, "--tasks", "2", "--results", results, "--set", "iterations=4");
        Assert.That(again.ExitCode, Is.EqualTo(0), again.Err);
        string warning = again.Err.Split('\n').Single(l => l.StartsWith("warning: "));
        Assert.That(warning, Does.Match(@"\b4242\b.*\b2\b"), "names the job and its 2 tasks not ended");
        Assert.That(JobFile.Read(JobFile.PathIn(results)).Select(j => j.Tasks), Is.EqualTo(new[] { 3, 2 }));
    }

    [Test]
    public void Submit_with_every_run_stored_submits_nothing()
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("bin")).With("sbatch", "1");
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        Assert.That(CliRunner.Run("run", cfg, "--results", results, "--set", "seeds=1").ExitCode, Is.EqualTo(0));
        var r = CliRunner.Run("submit", cfg, "--tasks", "2", "--results", results, "--set", "seeds=1");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Match(@"^\D*\b4\b.*'tiny'"), "the 4 runs of 'tiny' stored");
        Assert.That(File.Exists(slurm.SbatchCalls), Is.False);
    }

    [Test]
    public void Status_counts_a_partly_filled_store_by_shard_and_names_the_failed_tasks_log()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        // Shard 1 of 3 ran (3 of the 8 runs); shards 2 and 3 did not.
        var shard = CliRunner.Run("run", cfg, "--results", results, "--shard", "1/3");
        Assert.That(shard.ExitCode, Is.EqualTo(0), shard.Err);

        using (new FakeSlurm(dir.Sub("no-slurm")))
        {
            var plain = CliRunner.Run("status", cfg, "--results", results);
            Assert.That(plain.ExitCode, Is.EqualTo(0), plain.Err);
            Assert.That(plain.Out, Does.StartWith($"tiny: 3/8 runs finished, 5 missing; results in {results}"));
            Assert.That(plain.Out.Split('\n').Single(l => l.Contains("scheduler: unavailable")), Does.Contain("squeue").And.Contain("$VERIFY_SLURM_BIN"), "the program, and where it was looked for");
            Assert.That(plain.Out, Does.Contain("no Slurm job").And.Not.Match(@"(?m)^\s+\d+\s+\d+/3"), "no job recorded, said, and no task rows");
        }

        string slurmDir = Path.Combine(results, "slurm");
        JobFile.Append(JobFile.PathIn(results), new JobRecord("900", null, cfg, "tiny", [], 3, 8, 8, DateTimeOffset.UtcNow,
            Path.Combine(slurmDir, "submit-x.sh"), Path.Combine(slurmDir, "%A_%a.out")));
        File.WriteAllText(Path.Combine(slurmDir, "900_1.out"), "verify-task 900_1: shard 1/3\nverify-task 900_1: exit 0, ended x\n");
        File.WriteAllText(Path.Combine(slurmDir, "900_3.out"), "verify-task 900_3: shard 3/3\nUnhandled exception\nverify-task 900_3: exit 70, ended x\n");

        using (new FakeSlurm(dir.Sub("bin"))
            .With("sacct", "", exit: 1, stderr: "Slurm accounting storage is disabled")
            .With("squeue", "900_1|COMPLETED\n900_2|RUNNING\n900_3|FAILED"))
        {
            var s = CliRunner.Run("status", cfg, "--results", results);
            Assert.That(s.ExitCode, Is.EqualTo(0), s.Err);
            var lines = s.Out.Split('\n');
            Assert.That(lines[0], Is.EqualTo($"tiny: 3/8 runs finished, 5 missing; results in {results}"));
            Assert.That(lines, Has.Some.Match(@"^  1\s+1/3\s+3/3\s+COMPLETED\s+0$"));
            Assert.That(lines, Has.Some.Match(@"^  2\s+2/3\s+0/3\s+RUNNING\s*$"));
            Assert.That(lines, Has.Some.Match(@"^  3\s+3/3\s+0/2\s+FAILED\s+70\s+log: " + System.Text.RegularExpressions.Regex.Escape(Path.Combine(slurmDir, "900_3.out")) + "$"));
            Assert.That(s.Out, Does.Contain("states from squeue").And.Contain("Slurm accounting storage is disabled"), "the source of the states, and sacct's own refusal");
            Assert.That(s.Out, Does.Match(@"\b1 task failed").And.Contain($"verify submit {cfg} --tasks 3 --results {results}").And.Match(@"\b5 missing"),
                "the failed count, the command that reruns, and how many runs it computes");
        }

        // The scheduler gone (not installed here): states from the logs, and it says so.
        using (new FakeSlurm(dir.Sub("no-slurm")))
        {
            var s = CliRunner.Run("status", cfg, "--results", results);
            Assert.That(s.Out.Split('\n').Single(l => l.Contains("scheduler: unavailable")), Does.Contain("squeue").And.Contain("sacct"), "the two programs looked for");
            Assert.That(s.Out.Split('\n'), Has.Some.Match(@"^  1\s+1/3\s+3/3\s+ENDED\s+0\s*$"));
            Assert.That(s.Out.Split('\n'), Has.Some.Match(@"^  3\s+3/3\s+0/2\s+FAILED\s+70\s+log: "));
        }

        // The scheduler answers but has forgotten the job (ended long ago): a log that started and never ended
        // means the task was killed (node failure, kill -9), a failure with its log.
        File.WriteAllText(Path.Combine(slurmDir, "900_2.out"), "verify-task 900_2: shard 2/3\n");
        using (new FakeSlurm(dir.Sub("bin-forgot")).With("squeue", ""))
        {
            var s = CliRunner.Run("status", cfg, "--results", results);
            Assert.That(s.Out.Split('\n'), Has.Some.Match(@"^  1\s+1/3\s+3/3\s+ENDED\s+0$"));
            Assert.That(s.Out.Split('\n'), Has.Some.Match(@"^  2\s+2/3\s+0/3\s+ENDED\?\s+log: "));
            Assert.That(s.Out, Does.Match(@"squeue\b.*\bjob 900\b").And.Match(@"\b2 tasks failed"));
            Assert.That(s.Out, Does.Contain($"`verify submit {cfg} --tasks 3 --results {results}`").And.Match(@"\b5 missing"));
        }

        // sacct answers: its states and exit codes win.
        using (new FakeSlurm(dir.Sub("bin2"))
            .With("sacct", "900_1|COMPLETED|0:0\n900_1.batch|COMPLETED|0:0\n900_2|TIMEOUT|0:15\n900_3|FAILED|70:0")
            .With("squeue", ""))
        {
            var s = CliRunner.Run("status", cfg, "--results", results);
            Assert.That(s.Out.Split('\n'), Has.Some.Match(@"^  2\s+2/3\s+0/3\s+TIMEOUT\s+0:15\s+log: "));
            Assert.That(s.Out, Does.Contain("states from sacct").And.Contain("2 tasks failed"));
        }
    }

    [Test]
    public void Status_of_a_finished_store_points_to_the_report_and_warns_when_the_job_ran_other_settings()
    {
        using var dir = new TempDir();
        using var slurm = new FakeSlurm(dir.Sub("no-slurm"));
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        Assert.That(CliRunner.Run("run", cfg, "--results", results, "--set", "seeds=1").ExitCode, Is.EqualTo(0));
        JobFile.Append(JobFile.PathIn(results), new JobRecord("5", null, cfg, "tiny", ["seeds=1"], 2, 4, 4, DateTimeOffset.UtcNow, "s.sh", Path.Combine(results, "slurm", "%A_%a.out")));
        var same = CliRunner.Run("status", cfg, "--results", results, "--set", "seeds=1");
        Assert.That(same.Out, Does.StartWith("tiny: 4/4 runs finished, 0 missing").And.Contain("verify report").And.Not.Contain("warning:"), "the next command: the report");
        var other = CliRunner.Run("status", cfg, "--results", results);
        Assert.That(other.Out, Does.StartWith("tiny: 4/8 runs finished"));
        Assert.That(other.Out.Split('\n').Single(l => l.StartsWith("warning: ")), Does.Contain("job 5").And.Contain("--set seeds=1"), "the job and the settings it ran with");
    }

    [Test]
    public void Status_rejects_bad_input_with_exit_2()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("status", dir.Sub("missing.json"));
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Errors.OneErrorLine(r.Err);
        Assert.That(r.Err, Does.Contain($"'{dir.Sub("missing.json")}'").And.Contain("not found"), "the file, and what is wrong with it");
    }
}
