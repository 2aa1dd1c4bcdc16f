using System.Text.Json;
using Verify.Verification.Experiments;
using Verify.Verification.Results;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Tests.Experiments;

public class SweepTests
{
    [Test]
    public void Rerun_skips_finished_runs_and_recomputes_missing_or_corrupt_ones_identically()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        var first = CliRunner.Run("run", cfg, "--results", results, "--jobs", "2");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Err);
        Assert.That(first.Out, Does.Contain("8/8 runs finished (0 reused, 8 computed"));

        var files = Directory.GetFiles(Path.Combine(results, "runs")).Order().ToArray();
        Assert.That(files, Has.Length.EqualTo(8));
        string original = File.ReadAllText(files[0]);
        File.Delete(files[0]);
        File.WriteAllText(files[1], "{ truncated");
        var second = CliRunner.Run("run", cfg, "--results", results);
        Assert.That(second.Out, Does.Contain("8/8 runs finished (6 reused, 2 computed"));
        var again = JsonDocument.Parse(File.ReadAllText(files[0])).RootElement;
        var before = JsonDocument.Parse(original).RootElement;
        Assert.That(again.GetProperty("metrics").GetRawText(), Is.EqualTo(before.GetProperty("metrics").GetRawText()), "same seed, same result");
        Assert.That(again.GetProperty("curve").GetRawText(), Is.EqualTo(before.GetProperty("curve").GetRawText()));
        Assert.That(Directory.GetFiles(Path.Combine(results, "runs"), "*.tmp-*"), Is.Empty, "no temporary files left");
    }

    [Test]
    public void A_stored_run_without_the_certified_error_is_recomputed_and_gains_it()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        Assert.That(CliRunner.Run("run", cfg, "--results", results).ExitCode, Is.EqualTo(0));
        string file = Directory.GetFiles(Path.Combine(results, "runs")).Order().First();
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        var metrics = node["metrics"]!.AsObject();
        string attacked = metrics["robustTest"]!.ToJsonString();
        metrics.Remove("robustTestCertified");
        metrics.Remove("certification");
        File.WriteAllText(file, node.ToJsonString());   // as a version before certification wrote it

        var again = CliRunner.Run("run", cfg, "--results", results);
        Assert.That(again.Out, Does.Contain("8/8 runs finished (7 reused, 1 computed"));
        Assert.That(again.Out + again.Err, Does.Contain("1 stored run(s) without the certified robust error to recompute"));
        var rerun = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("metrics");
        Assert.That(rerun.TryGetProperty("robustTestCertified", out _), Is.True);
        var before = JsonDocument.Parse(attacked).RootElement;
        Assert.That(rerun.GetProperty("robustTest").GetProperty("errors").GetInt32(), Is.EqualTo(before.GetProperty("errors").GetInt32()), "same run, same attack result");
        Assert.That(rerun.GetProperty("robustTest").GetProperty("total").GetInt32(), Is.EqualTo(before.GetProperty("total").GetInt32()));
    }

    [Test]
    public void A_stored_run_without_the_training_certificate_is_recomputed_under_its_id_and_gains_it()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string results = dir.Sub("results");
        Assert.That(CliRunner.Run("run", cfg, "--results", results).ExitCode, Is.EqualTo(0));
        var files = Directory.GetFiles(Path.Combine(results, "runs")).Order().ToArray();
        string file = files[2];
        var original = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("metrics").Clone();
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!;
        var metrics = node["metrics"]!.AsObject();
        metrics.Remove("robustTrainCertified");
        metrics.Remove("trainCertification");
        File.WriteAllText(file, node.ToJsonString());   // as a version that certified test points only wrote it

        var stored = ResultStore.TryRead(file)!;
        Assert.That(stored, Is.Not.Null, "it reads");
        Assert.That(stored.Metrics!.RobustTestCertified, Is.Not.Null);
        Assert.That((stored.Metrics.RobustTrainCertified, stored.Metrics.TrainCertification), Is.EqualTo(((Estimate?)null, (CertificationRecord?)null)));
        Assert.That(stored.PredatesCertification, Is.True);

        var noRun = CliRunner.Run("report", cfg, "--results", results, "--out", dir.Sub("report"), "--no-run");
        Assert.That(noRun.ExitCode, Is.EqualTo(0), noRun.Err);
        Assert.That(File.ReadAllText(file), Is.EqualTo(node.ToJsonString()), "report --no-run reads it as it is");
        string md = File.ReadAllText(Path.Combine(dir.Sub("report"), "report.md"));
        Assert.That(md, Does.Contain("(no certificate)").And.Contain("(certified "), "its cell has no certified interpolation rate, the others have one");

        var again = CliRunner.Run("run", cfg, "--results", results);
        Assert.That(again.Out, Does.Contain("8/8 runs finished (7 reused, 1 computed"));
        Assert.That(again.Out + again.Err, Does.Contain("1 stored run(s) without the certified robust error to recompute"));
        Assert.That(Directory.GetFiles(Path.Combine(results, "runs")).Order(), Is.EqualTo(files), "the same ids: recomputed in place, no new file");
        var rerun = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("metrics");
        Assert.That(rerun.GetRawText(), Is.EqualTo(original.GetRawText()), "same settings, same seed: the same metrics, training certificate included");
        Assert.That(rerun.GetProperty("trainCertification").GetProperty("conflicts").GetInt32(), Is.EqualTo(0));
    }

    [Test]
    public void Cancelled_sweep_keeps_finished_runs_and_resumes()
    {
        using var dir = new TempDir();
        var plan = ExperimentPlan.Expand(ExperimentLoader.Load(dir.File("tiny.json", TinyExperiment.Json)));
        var store = new ResultStore(dir.Sub("results"));
        using var cts = new CancellationTokenSource();
        int reports = 0;
        var outcome = SweepRunner.Run(plan, store, 1, (done, _, _) => { if (++reports == 3) cts.Cancel(); }, cts.Token);
        Assert.That(outcome.Interrupted);
        int saved = store.Files().Count();
        Assert.That(saved, Is.InRange(1, plan.Count - 1));
        Assert.That(store.Files().All(f => ResultStore.TryRead(f) is not null), "every saved file is complete");
        var resumed = SweepRunner.Run(plan, store, 2, (_, _, _) => { }, CancellationToken.None);
        Assert.That(resumed.Reused, Is.EqualTo(saved));
        Assert.That(resumed.Finished, Is.EqualTo(plan.Count));
    }

    [Test]
    public void Shards_written_to_separate_folders_merge_into_the_full_sweep()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        foreach (var i in new[] { 1, 2 })
            Assert.That(CliRunner.Run("run", cfg, "--shard", $"{i}/2", "--results", dir.Sub($"shard{i}")).ExitCode, Is.EqualTo(0));
        int a = Directory.GetFiles(Path.Combine(dir.Sub("shard1"), "runs")).Length, b = Directory.GetFiles(Path.Combine(dir.Sub("shard2"), "runs")).Length;
        Assert.That(a + b, Is.EqualTo(8));
        var merged = CliRunner.Run("merge", "--into", dir.Sub("all"), dir.Sub("shard1"), dir.Sub("shard2"));
        Assert.That(merged.ExitCode, Is.EqualTo(0), merged.Err);
        Assert.That(merged.Out, Does.Contain("8 runs copied"));
        var rerun = CliRunner.Run("run", cfg, "--results", dir.Sub("all"));
        Assert.That(rerun.Out, Does.Contain("(8 reused, 0 computed"));
        Assert.That(CliRunner.Run("merge", "--into", dir.Sub("all"), dir.Sub("nowhere")).ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void Bad_shard_and_missing_config_are_exit_code_two()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        Errors.Refused(CliRunner.Run("run", cfg, "--shard", "3/2"), "--shard", "'3/2'");
        Assert.That(CliRunner.Run("run", dir.Sub("none.json")).ExitCode, Is.EqualTo(2));
    }
}
