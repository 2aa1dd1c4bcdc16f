using System.Text.Json.Nodes;

namespace Verify.Verification.Tests.Experiments;

public class RegressionTests
{
    [Test]
    public void Regress_passes_on_a_faithful_rerun_and_fails_on_a_real_drift()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string baseline = dir.Sub("tiny-baseline.json");
        var b = CliRunner.Run("baseline", cfg, "--results", dir.Sub("results"), "--out", baseline);
        Assert.That(b.ExitCode, Is.EqualTo(0), b.Err);

        var ok = CliRunner.Run("regress", baseline);
        Assert.That(ok.ExitCode, Is.EqualTo(0), ok.Out + ok.Err);
        Assert.That(ok.Out, Does.Contain("within tolerance"));

        // A drift of 1% in one run's robust training loss (as a changed numerical code path would cause).
        var doc = JsonNode.Parse(File.ReadAllText(baseline))!;
        var metrics = doc["runs"]![0]!["metrics"]!;
        metrics["robustTrainLoss"] = metrics["robustTrainLoss"]!.GetValue<double>() * 1.01;
        File.WriteAllText(baseline, doc.ToJsonString());
        var drift = CliRunner.Run("regress", baseline);
        Assert.That(drift.ExitCode, Is.EqualTo(1), drift.Out);
        Assert.That(drift.Out, Does.Contain("DRIFT").And.Contain("robustTrainLoss"));

        // A statistical drift: an error rate outside the stored interval.
        doc = JsonNode.Parse(File.ReadAllText(baseline))!;
        doc["runs"]![0]!["metrics"]!["robustTrainLoss"] = metrics["robustTrainLoss"]!.GetValue<double>() / 1.01;
        var clean = doc["runs"]![1]!["metrics"]!["cleanTest"]!;
        clean["rate"] = 0.92; clean["wilsonLow"] = 0.9; clean["wilsonHigh"] = 0.95;
        File.WriteAllText(baseline, doc.ToJsonString());
        var stat = CliRunner.Run("regress", baseline, "--sample", "4");
        Assert.That(stat.ExitCode, Is.EqualTo(1));
        Assert.That(stat.Out, Does.Contain("cleanTestError"));
    }

    [Test]
    public void Sample_reruns_only_some_cells_and_bad_files_are_named()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string baseline = dir.Sub("b.json");
        Assert.That(CliRunner.Run("baseline", cfg, "--results", dir.Sub("r"), "--out", baseline).ExitCode, Is.EqualTo(0));
        var r = CliRunner.Run("regress", baseline, "--sample", "1");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Out);
        Assert.That(r.Out, Does.Contain("2 runs rerun"));
        Assert.That(CliRunner.Run("regress", dir.Sub("none.json")).Err, Does.Contain("not found"));
        Assert.That(CliRunner.Run("regress", dir.File("bad.json", "{}")).ExitCode, Is.EqualTo(2));
    }
}
