using System.Text.Json.Nodes;

namespace Verify.Verification.Tests.Experiments;

/// <summary>
/// Every baseline and rerun here names the kernel (--blas managed, Managed below): a faithful rerun must reproduce its baseline
/// to 1e-6, and auto could pick another kernel for the rerun than for the baseline (its choice is a timing calibration).
/// </summary>
public class RegressionTests
{
    private static readonly string[] Managed = ["--blas", "managed"];

    [Test]
    public void Regress_passes_on_a_faithful_rerun_and_fails_on_a_real_drift()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string baseline = dir.Sub("tiny-baseline.json");
        var b = CliRunner.Run(["baseline", cfg, "--results", dir.Sub("results"), "--out", baseline, .. Managed]);
        Assert.That(b.ExitCode, Is.EqualTo(0), b.Err);

        var ok = CliRunner.Run(["regress", baseline, .. Managed]);
        Assert.That(ok.ExitCode, Is.EqualTo(0), ok.Out + ok.Err);
        Assert.That(ok.Out, Does.Contain("within tolerance"));

        // A drift of 1% in one run's robust training loss (as a changed numerical code path would cause).
        var doc = JsonNode.Parse(File.ReadAllText(baseline))!;
        var metrics = doc["runs"]![0]!["metrics"]!;
        metrics["robustTrainLoss"] = metrics["robustTrainLoss"]!.GetValue<double>() * 1.01;
        File.WriteAllText(baseline, doc.ToJsonString());
        var drift = CliRunner.Run(["regress", baseline, .. Managed]);
        Assert.That(drift.ExitCode, Is.EqualTo(1), drift.Out);
        Assert.That(drift.Out, Does.Contain("DRIFT").And.Contain("robustTrainLoss"));

        // A statistical drift: an error rate outside the stored interval.
        doc = JsonNode.Parse(File.ReadAllText(baseline))!;
        doc["runs"]![0]!["metrics"]!["robustTrainLoss"] = metrics["robustTrainLoss"]!.GetValue<double>() / 1.01;
        // Consistent counts, rate and interval: a baseline whose numbers do not add up is refused as damaged, not compared.
        var clean = doc["runs"]![1]!["metrics"]!["cleanTest"]!;
        int total = clean["total"]!.GetValue<int>(), wrong = (int)Math.Round(0.92 * total);
        var (low, high) = Verify.Verification.Analysis.Statistics.Wilson(wrong, total);
        clean["errors"] = wrong; clean["rate"] = (double)wrong / total; clean["wilsonLow"] = low; clean["wilsonHigh"] = high;
        File.WriteAllText(baseline, doc.ToJsonString());
        var stat = CliRunner.Run(["regress", baseline, "--sample", "4", .. Managed]);
        Assert.That(stat.ExitCode, Is.EqualTo(1));
        Assert.That(stat.Out, Does.Contain("cleanTestError"));
    }

    [Test]
    public void The_certified_upper_ends_are_compared_where_the_baseline_has_them()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string baseline = dir.Sub("tiny-baseline.json");
        Assert.That(CliRunner.Run(["baseline", cfg, "--results", dir.Sub("results"), "--out", baseline, .. Managed]).ExitCode, Is.EqualTo(0));
        var doc = JsonNode.Parse(File.ReadAllText(baseline))!;
        Assert.That(doc["runs"]!.AsArray().All(r => r!["metrics"]!["robustTrainCertified"] is not null), "a new baseline stores the training certificate");

        var ok = CliRunner.Run(["regress", baseline, .. Managed]);
        Assert.That(ok.ExitCode, Is.EqualTo(0), ok.Out + ok.Err);
        Assert.That(ok.Out, Does.Contain("certifiedInterpolates").And.Contain("robustTrainErrorCertified").And.Contain("robustTestErrorCertified"));

        // A run certified to interpolate in the baseline whose rerun is not (or the other way round) drifts, as interpolation does.
        var run = doc["runs"]![0]!["metrics"]!;
        int n = run["robustTrainCertified"]!["total"]!.GetValue<int>();
        bool wasCertified = run["robustTrainCertified"]!["errors"]!.GetValue<int>() == 0;
        int errors = wasCertified ? n / 2 : 0;
        var (lo, hi) = Verify.Verification.Analysis.Statistics.Wilson(errors, n);
        run["robustTrainCertified"] = new JsonObject { ["errors"] = errors, ["total"] = n, ["rate"] = (double)errors / n, ["wilsonLow"] = lo, ["wilsonHigh"] = hi };
        // Its counts to match (a baseline whose counts do not add up is refused as damaged): undecided = not certified − attacked + both.
        int attacked = run["robustTrain"]!["errors"]!.GetValue<int>(), conflicts = Math.Max(0, attacked - errors);
        var counts = run["trainCertification"]!;
        counts["certified"] = n - errors; counts["certifiedPlain"] = Math.Min(counts["certifiedPlain"]!.GetValue<int>(), n - errors);
        counts["conflicts"] = conflicts; counts["undecided"] = errors - attacked + conflicts;
        File.WriteAllText(baseline, doc.ToJsonString());
        var drift = CliRunner.Run(["regress", baseline, .. Managed]);
        Assert.That(drift.ExitCode, Is.EqualTo(1), drift.Out);
        var driftRows = drift.Out.Split('\n').Where(l => l.Contains("DRIFT")).ToList();
        Assert.That(driftRows, Has.Some.Contain("certifiedInterpolates"));
        Assert.That(driftRows, Has.Some.Contain("robustTrainErrorCertified"));

        // A baseline written before certification (no certified fields) still reruns within tolerance, comparing what it has.
        foreach (var r in doc["runs"]!.AsArray())
            foreach (var key in new[] { "robustTestCertified", "certification", "robustTrainCertified", "trainCertification" })
                r!["metrics"]!.AsObject().Remove(key);
        File.WriteAllText(baseline, doc.ToJsonString());
        var old = CliRunner.Run(["regress", baseline, .. Managed]);
        Assert.That(old.ExitCode, Is.EqualTo(0), old.Out + old.Err);
        Assert.That(old.Out, Does.Not.Contain("certifiedInterpolates").And.Not.Contain("ErrorCertified"));
    }

    [Test]
    public void A_schema_1_baseline_from_before_certification_still_loads()
    {
        // The CI baseline as committed before training points were certified (settings as strings, no certified ends),
        // kept as a fixture when baselines/paper-synthetic-ci.json was regenerated with them.
        var old = Verify.Verification.Regression.Baseline.Load(Path.Combine(Repository.Root, "tests", "Verification.Tests", "Fixtures", "baseline-v1.json"));
        Assert.That(File.ReadAllText(Path.Combine(Repository.Root, "tests", "Verification.Tests", "Fixtures", "baseline-v1.json")), Does.Contain("\"verify.baseline/1\""));
        Assert.That(old.Schema, Is.EqualTo(Verify.Verification.Regression.Baseline.CurrentSchema), "upgraded as it is read");
        Assert.That(old.Runs, Has.Count.EqualTo(12));
        Assert.That(old.Runs.Select(r => r.Metrics), Has.All.Not.Null);
        Assert.That(old.Runs.Select(r => (r.Metrics!.RobustTestCertified, r.Metrics.RobustTrainCertified)), Has.All.EqualTo((default(Verify.Verification.Results.Estimate), default(Verify.Verification.Results.Estimate))));

        var current = Verify.Verification.Regression.Baseline.Load(Path.Combine(Repository.Root, "baselines", "paper-synthetic-ci.json"));
        Assert.That(current.Runs.Select(r => r.Id).Order(), Is.EqualTo(old.Runs.Select(r => r.Id).Order()), "regenerated: the same runs");
        Assert.That(current.Runs.Select(r => r.Metrics!.RobustTrainCertified), Has.All.Not.Null, "now with the training certificates");
        foreach (var r in current.Runs)
        {
            var before = old.Runs.Single(o => o.Id == r.Id).Metrics!;
            Assert.That(r.Metrics!.RobustTrainLoss, Is.EqualTo(before.RobustTrainLoss).Within(1e-4).Percent, $"{r.Id}: the same run (to regress's 1e-6 relative)");
            Assert.That(r.Metrics.Interpolates, Is.EqualTo(before.Interpolates));
        }
    }

    [Test]
    public void Sample_reruns_only_some_cells_and_bad_files_are_named()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        string baseline = dir.Sub("b.json");
        Assert.That(CliRunner.Run(["baseline", cfg, "--results", dir.Sub("r"), "--out", baseline, .. Managed]).ExitCode, Is.EqualTo(0));
        var r = CliRunner.Run(["regress", baseline, "--sample", "1", .. Managed]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Out);
        Assert.That(r.Out, Does.Contain("2 runs rerun"));
        Assert.That(CliRunner.Run("regress", dir.Sub("none.json")).Err, Does.Contain("not found"));
        Assert.That(CliRunner.Run("regress", dir.File("bad.json", "{}")).ExitCode, Is.EqualTo(2));
    }
}
