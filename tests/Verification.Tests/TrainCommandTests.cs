using System.Text.Json;
using Verify.Verification.Text;

namespace Verify.Verification.Tests;

public class TrainCommandTests
{
    private static readonly string[] Tiny = Args();

    /// <summary>A tiny run's arguments; later pairs replace earlier options of the same name.</summary>
    private static string[] Args(params string[] overrides)
    {
        var map = new Dictionary<string, string>
        {
            ["--n"] = "10", ["--n-test"] = "40", ["--d"] = "30", ["--m"] = "20", ["--iterations"] = "15",
            ["--pgd-steps"] = "3", ["--eval-pgd-steps"] = "5", ["--mu"] = "3", ["--alpha"] = "0.2",
        };
        for (int i = 0; i + 1 < overrides.Length; i += 2) map[overrides[i]] = overrides[i + 1];
        if (map.ContainsKey("--alpha-over-mu") && map["--alpha"] == "0.2") map.Remove("--alpha");
        return ["train", .. map.SelectMany(kv => new[] { kv.Key, kv.Value })];
    }

    [Test]
    public void Json_result_has_settings_metrics_curve_provenance_and_timings()
    {
        var r = CliRunner.Run([.. Tiny, "--json", "--seed", "7"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;
        Assert.That(root.GetProperty("schema").GetString(), Is.EqualTo("verify.run/2"));
        Assert.That(root.GetProperty("seed").GetUInt64(), Is.EqualTo(7));
        var s = root.GetProperty("settings");
        Assert.That(s.GetProperty("d").GetInt32(), Is.EqualTo(30), "numbers are JSON numbers");
        Assert.That(s.GetProperty("pgdSteps").GetInt32(), Is.EqualTo(3));
        Assert.That(s.GetProperty("learningRateFactor").GetDouble(), Is.EqualTo(2), "defaults are recorded too");
        Assert.That(s.GetProperty("pgdWarmStart").ValueKind, Is.EqualTo(JsonValueKind.False));
        Assert.That(s.GetProperty("mode").GetString(), Is.EqualTo("auto"));
        var p = root.GetProperty("provenance");
        foreach (var k in new[] { "version", "backend", "precision", "mode", "basisDimension", "learningRate", "initScale", "trainAttack", "evalAttack", "environment" })
            Assert.That(p.TryGetProperty(k, out _), k);
        Assert.That(p.GetProperty("precision").GetString(), Is.EqualTo("f64"));
        var m = root.GetProperty("metrics");
        Assert.That(m.GetProperty("cleanTest").GetProperty("total").GetInt32(), Is.EqualTo(40));
        double rate = m.GetProperty("robustTest").GetProperty("rate").GetDouble();
        Assert.That(rate, Is.InRange(m.GetProperty("robustTest").GetProperty("wilsonLow").GetDouble(), m.GetProperty("robustTest").GetProperty("wilsonHigh").GetDouble()));
        Assert.That(root.GetProperty("curve").GetProperty("robustLoss").GetArrayLength(), Is.EqualTo(15));
        Assert.That(root.GetProperty("timings").GetProperty("secondsPerIteration").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public void Table_output_shows_interpolation_and_the_theory_columns()
    {
        var r = CliRunner.Run(Tiny);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("clean test error").And.Contain("HEURISTIC").And.Contain("EXACT").And.Contain("ms/iteration"));
        Assert.That(r.Err, Does.Contain("training: done"), "plain progress lines when not on a terminal");
    }

    [Test]
    public void Table_evaluates_the_theory_in_noise_units()
    {
        // σ = 2: M = 6 and α = 2 are M/σ = 3 and α/σ = 1 in the theory's units, for the prediction and the EXACT bound alike.
        var r = CliRunner.Run(Args("--mu", "6", "--alpha", "2", "--sigma", "2"));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var h = Verify.Bounds.Heuristic.LinearizedInterpolator.Predict(10, 30, 3, 1, 0.1);
        string robustRow = r.Out.Split('\n').Single(l => l.Contains("robust test error"));
        Assert.That(robustRow, Does.Contain(Verify.Verification.Text.Fmt.Num(h.Robust)));
        Assert.That(robustRow, Does.Contain(Verify.Verification.Text.Fmt.Num(Verify.Bounds.Gaussian.GaussianReference.RobustLower(3, 1, 0.1))).And.Contain("EXACT lower bound"));
        var wrong = Verify.Bounds.Heuristic.LinearizedInterpolator.Predict(10, 30, 3, 2, 0.1);
        Assert.That(robustRow, Does.Not.Contain(Verify.Verification.Text.Fmt.Num(wrong.Robust)), "α must be divided by σ too");
    }

    [Test]
    public void The_robust_error_is_shown_as_a_bracket_whose_ends_are_the_recorded_counts()
    {
        var r = CliRunner.Run([.. Tiny, "--json"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        var m = doc.RootElement.GetProperty("metrics");
        int total = m.GetProperty("robustTest").GetProperty("total").GetInt32();
        int attacked = m.GetProperty("robustTest").GetProperty("errors").GetInt32();
        int notCertified = m.GetProperty("robustTestCertified").GetProperty("errors").GetInt32();
        var c = m.GetProperty("certification");
        int certified = c.GetProperty("certified").GetInt32(), undecided = c.GetProperty("undecided").GetInt32();
        Assert.That(notCertified, Is.EqualTo(total - certified));
        Assert.That(attacked, Is.LessThanOrEqualTo(notCertified), "the lower end never exceeds the upper end");
        Assert.That(undecided, Is.EqualTo(notCertified - attacked));
        Assert.That(c.GetProperty("conflicts").GetInt32(), Is.EqualTo(0));

        var table = CliRunner.Run(Tiny);
        Assert.That(table.Out, Does.Contain("certified (upper end)").And.Match($@"(?m)^\s*certificate:\D*\b{attacked} of {total}\b"), "the certificate line: the attack's count of the test set");
    }

    [Test]
    public void The_robust_training_error_is_shown_as_a_bracket_whose_ends_are_the_recorded_counts()
    {
        // Two cases: at α = 0.2 every label is fitted robustly and certified; α = 4 > M = 3 leaves training points flipped and some undecided.
        foreach (var args in new[] { Tiny, Args("--alpha", "4", "--iterations", "4") })
        {
            var r = CliRunner.Run([.. args, "--json"]);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
            using var doc = JsonDocument.Parse(r.Out);
            var m = doc.RootElement.GetProperty("metrics");
            int n = m.GetProperty("robustTrain").GetProperty("total").GetInt32();
            int attacked = m.GetProperty("robustTrain").GetProperty("errors").GetInt32();
            var upper = m.GetProperty("robustTrainCertified");
            int notCertified = upper.GetProperty("errors").GetInt32();
            var c = m.GetProperty("trainCertification");
            int certified = c.GetProperty("certified").GetInt32(), undecided = c.GetProperty("undecided").GetInt32();
            Assert.That(n, Is.EqualTo(10));
            Assert.That(upper.GetProperty("total").GetInt32(), Is.EqualTo(n));
            Assert.That(notCertified, Is.EqualTo(n - certified));
            Assert.That(attacked, Is.LessThanOrEqualTo(notCertified), "the lower end never exceeds the upper end");
            Assert.That(undecided, Is.EqualTo(notCertified - attacked));
            Assert.That(c.GetProperty("conflicts").GetInt32(), Is.EqualTo(0));
            Assert.That(m.GetProperty("interpolates").GetBoolean(), Is.EqualTo(attacked == 0));
            Assert.That(m.TryGetProperty("certifiedInterpolates", out _), Is.False, "derived from robustTrainCertified, not stored");

            var table = CliRunner.Run(args);
            Assert.That(table.Out, Does.Match($@"\btraining certificate:\D*\b{attacked} of {n}\b\D*\b{certified}\b"), "the attack's count of the training set, then the certificate's");
            Assert.That(table.Out, Does.Contain(notCertified == 0 ? "Certified to interpolate:" : $"Not certified to interpolate: {notCertified} of {n} training points"));
            if (args == Tiny) Assert.That(notCertified, Is.EqualTo(0), "the easy case is certified to interpolate");
            else Assert.That(attacked, Is.GreaterThan(0), "the hard case does not interpolate");
        }
    }

    [Test]
    public void Config_file_is_read_and_the_command_line_overrides_it()
    {
        string dir = Path.Combine(Path.GetTempPath(), "verify-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string cfg = Path.Combine(dir, "cell.json");
        File.WriteAllText(cfg, """{ "n": 10, "nTest": 40, "d": 30, "m": 20, "iterations": 4, "pgdSteps": 2, "evalPgdSteps": 2, "mu": 2, "alphaOverMu": 0.1 }""");
        string outFile = Path.Combine(dir, "out.json");
        var r = CliRunner.Run("train", "--config", cfg, "--iterations", "6", "--json", "--out", outFile);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var root = JsonDocument.Parse(File.ReadAllText(outFile)).RootElement;
        Assert.That(root.GetProperty("settings").GetProperty("iterations").GetInt32(), Is.EqualTo(6));
        Assert.That(root.GetProperty("provenance").GetProperty("alpha").GetDouble(), Is.EqualTo(0.2).Within(1e-15));
        Assert.That(root.GetProperty("curve").GetProperty("iteration").GetArrayLength(), Is.EqualTo(6));
        Directory.Delete(dir, true);
    }

    [TestCase(new[] { "--d", "abc" }, "d = 'abc'")]
    [TestCase(new[] { "--beta", "0.7" }, "beta = '0.7'")]
    [TestCase(new[] { "--m", "7" }, "m = '7' in the command line is not allowed: must be an even integer")]
    [TestCase(new[] { "--mode", "fast" }, "mode = 'fast'")]
    [TestCase(new[] { "--iterations", "-1" }, "iterations = '-1'")]
    [TestCase(new[] { "--alpha", "1", "--alpha-over-mu", "0.1" }, "both set")]
    [TestCase(new[] { "--bogus", "1" }, "'--bogus'")]
    [TestCase(new[] { "--config", "/nonexistent/cell.json" }, "not found")]
    [TestCase(new[] { "--learning-rat", "1" }, "--learning-rat")]
    [TestCase(new[] { "--blas", "mkl" }, "--blas = 'mkl' is not allowed: must be auto, managed or openblas")]
    public void Bad_input_is_one_named_line_with_exit_code_two(string[] extra, string expected)
    {
        var r = extra[0] == "--config" || extra[0] == "--bogus" || extra[0] == "--learning-rat"
            ? CliRunner.Run([.. Tiny, .. extra]) : CliRunner.Run(Args(extra));
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Out + r.Err);
        Assert.That(r.Err, Does.Contain(expected));
        Assert.That(r.Err, Does.Not.Contain("   at "));
    }

    [Test]
    public void Unknown_config_key_is_named_with_a_suggestion()
    {
        string cfg = Path.Combine(Path.GetTempPath(), $"verify-{Guid.NewGuid():N}.json");
        File.WriteAllText(cfg, """{ "iteratons": 5 }""");
        var r = CliRunner.Run("train", "--config", cfg);
        File.Delete(cfg);
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Err, Does.Match(@"\bunknown setting 'iteratons'.*'iterations'"), "the unknown key, then the suggestion");
    }

    [Test]
    public void Divergence_is_reported_with_exit_code_three()
    {
        var r = CliRunner.Run(Args("--n", "60", "--learning-rate", "1e8"));
        Assert.That(r.ExitCode, Is.EqualTo(3), r.Out + r.Err);
        Assert.That(r.Err, Does.Contain("diverged"));
        Assert.That(r.Out, Does.Contain("Diverged"));
    }

    [Test]
    public void The_kernel_can_be_forced_and_the_result_records_which_and_why()
    {
        var before = Simulation.Kernels.Backend.Current;
        var r = CliRunner.Run([.. Tiny, "--json", "--blas", "managed"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var p = JsonDocument.Parse(r.Out).RootElement.GetProperty("provenance");
        Assert.That(p.GetProperty("backend").GetString(), Does.StartWith("managed (").And.EndWith("; forced)"));
        Assert.That(p.GetProperty("environment").GetProperty("blas").GetString(), Does.StartWith("managed (").And.EndWith("; forced)"));
        Assert.That(Simulation.Kernels.Backend.Current, Is.SameAs(before), "the choice lasts for the command, not the process");

        var auto = CliRunner.Run([.. Tiny, "--json", "--blas", "auto"]);
        Assert.That(auto.ExitCode, Is.EqualTo(0), auto.Err);
        Assert.That(JsonDocument.Parse(auto.Out).RootElement.GetProperty("provenance").GetProperty("backend").GetString(),
            Does.Contain("; auto: "), "auto says what it measured, or that OpenBLAS is absent");
    }
}
