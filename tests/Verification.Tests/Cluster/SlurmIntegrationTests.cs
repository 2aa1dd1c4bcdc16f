using System.Diagnostics;
using System.Text.Json;
using Verify.Verification.Cluster;
using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Cluster;

/// <summary>
/// `verify submit` against a live Slurm scheduler (the one-node cluster .ci/slurm-up.sh starts): a tiny experiment
/// as a 3-task array, whose results must equal a local `verify run` run for run. Skipped, with the reason printed,
/// only when no scheduler answers here.
/// </summary>
[Category(Categories.Cluster)]
[Category(Categories.Slurm)]
[Category(Categories.Slow)]
public class SlurmIntegrationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    [Test]
    public void A_three_task_array_on_a_live_scheduler_computes_what_a_local_run_computes()
    {
        var clock = Stopwatch.StartNew();
        var tools = new SlurmTools(binDirectory: null);
        string? why = Unavailable(tools);
        if (why is not null)
        {
            string marker = Environment.GetEnvironmentVariable("VERIFY_SLURM_MARKER") ?? "/tmp/verify-slurm/up";
            string setup = File.Exists(marker) ? File.ReadAllText(marker).Trim() : "no marker from .ci/slurm-up.sh";
            string reason = $"no Slurm scheduler answers here: {why} (.ci/slurm-up.sh: {setup})";
            TestContext.Out.WriteLine("SKIPPED: " + reason);
            // dotnet test shows no test output at its default verbosity: .ci/run prints this file after the tests.
            try { File.WriteAllText(Path.Combine(Path.GetDirectoryName(marker)!, "skipped"), reason + "\n"); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            Assert.Ignore(reason);
        }

        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string cluster = dir.Sub("cluster-results");
        string local = dir.Sub("local-results");

        // One kernel named for both: an auto choice is calibrated per node and CPU count (a task sees one CPU), and
        // OpenBLAS and the managed kernel can differ in the last bit.
        var submit = CliRunner.Run("submit", cfg, "--tasks", "3", "--results", cluster, "--time", "10", "--blas", "managed");
        Assert.That(submit.ExitCode, Is.EqualTo(0), submit.Out + submit.Err);
        var job = JobFile.Read(JobFile.PathIn(cluster)).Single();
        TestContext.Out.WriteLine($"submitted Slurm job {job.JobId}: {job.Tasks} array tasks, {job.Runs} runs; script {job.Script}");

        // Wait (bounded) until no task of the job is pending or running.
        var states = new Dictionary<int, TaskState>();
        while (true)
        {
            var (tasks, source, note) = tools.Query(job.JobId);
            states = tasks.ToDictionary();
            bool logsEnded = Enumerable.Range(1, 3).All(t => SlurmOutput.ParseLog(File.Exists(job.LogOf(t)) ? File.ReadAllText(job.LogOf(t)) : null).Exit is not null);
            if ((states.Count == 3 && states.Values.All(s => s.Finished)) || (source is null && logsEnded)) break;
            if (clock.Elapsed > Bound)
            {
                Run("scancel", job.JobId);
                Assert.Fail($"job {job.JobId} did not finish within {Bound.TotalMinutes} min; states: {string.Join(", ", states.Values)} ({note})\n{Logs(job)}");
            }
            Thread.Sleep(500);
        }
        double waited = clock.Elapsed.TotalSeconds;

        // Three tasks ran: the scheduler says so, and each log has its start and its successful end.
        Assert.That(states.Keys.Order(), Is.EqualTo(new[] { 1, 2, 3 }), Logs(job));
        Assert.That(states.Values.Select(s => s.State), Is.All.EqualTo("COMPLETED"), Logs(job));
        for (int t = 1; t <= 3; t++)
        {
            string log = File.ReadAllText(job.LogOf(t));
            Assert.That(log, Does.Contain($"verify-task {job.JobId}_{t}: shard {t}/3 on "), log);
            Assert.That(SlurmOutput.ParseLog(log).Exit, Is.EqualTo(0), log);
        }

        // The same experiment run locally gives the same runs with the same numbers, to the last bit. The local
        // sweep runs as many runs as cores with one BLAS thread each, like each task (one CPU, one thread): a
        // product split over another number of threads can differ in the last bit.
        var run = CliRunner.Run("run", cfg, "--results", local, "--blas", "managed");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Err);
        var clusterRuns = Runs(cluster);
        var localRuns = Runs(local);
        Assert.That(clusterRuns.Keys.Order(), Is.EqualTo(localRuns.Keys.Order()), "same run ids");
        Assert.That(clusterRuns, Has.Count.EqualTo(8));
        foreach (var (id, c) in clusterRuns)
            foreach (var field in new[] { "settings", "seed", "metrics", "divergence", "curve" })
                Assert.That(c.GetProperty(field).GetRawText(), Is.EqualTo(localRuns[id].GetProperty(field).GetRawText()), $"run {id}: {field}");

        var status = CliRunner.Run("status", cfg, "--results", cluster);
        Assert.That(status.Out, Does.StartWith("tiny: 8/8 runs finished, 0 missing"), status.Out);
        Assert.That(status.Out.Split('\n').Count(l => l.Contains("COMPLETED")), Is.EqualTo(3), status.Out);
        TestContext.Out.WriteLine($"Slurm job {job.JobId}: {states.Count} array tasks COMPLETED in {waited:0.0} s; 8/8 runs equal to the local run; test {clock.Elapsed.TotalSeconds:0.0} s");
        TestContext.Out.WriteLine(status.Out);
    }

    /// <summary>Why no scheduler can take a job here, or null when sinfo shows a node that can run one.</summary>
    private static string? Unavailable(SlurmTools tools)
    {
        if (tools.Locate("sbatch") is null || tools.Locate("sinfo") is null) return "sbatch or sinfo is not installed";
        var sinfo = tools.Run("sinfo", ["-h", "-o", "%T"], TimeSpan.FromSeconds(20));
        if (!sinfo.Ok) return "sinfo does not answer: " + sinfo.Reason();
        var nodeStates = sinfo.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!nodeStates.Any(s => s.TrimEnd('*', '~', '#', '$', '@', '+', '-', '!', '%', '^') is "idle" or "mixed" or "allocated" or "completing"))
            return $"no node can run jobs (sinfo: {string.Join(", ", nodeStates)})";
        return null;
    }

    private static Dictionary<string, JsonElement> Runs(string results) => Directory.GetFiles(Path.Combine(results, "runs"), "*.json")
        .ToDictionary(f => Path.GetFileNameWithoutExtension(f), f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.Clone());

    private static string Logs(JobRecord job) => string.Join("\n", Enumerable.Range(1, job.Tasks)
        .Select(t => $"--- {job.LogOf(t)}\n" + (File.Exists(job.LogOf(t)) ? File.ReadAllText(job.LogOf(t)) : "(no log)")));

    private static void Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi);
            p?.WaitForExit(10_000);
        }
        catch (System.ComponentModel.Win32Exception) { }
    }
}
