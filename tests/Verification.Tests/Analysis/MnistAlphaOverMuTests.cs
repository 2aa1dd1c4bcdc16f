using Verify.Simulation.Settings;
using System.Text.Json;
using Verify.Simulation.Data;
using Verify.Simulation.Data.Mnist;

namespace Verify.Verification.Tests.Analysis;

/// <summary>
/// α given as a fraction of M̂ on MNIST (alphaOverMu): a real (tiny) run on a fixture folder of digits trains at
/// α = fraction · M̂, with M̂ the class-mean half-distance of its own training set, and records both; an experiment
/// pairs the normalizations at exactly the fractions it sets.
/// </summary>
public class MnistAlphaOverMuTests
{
    private TempDir _dir = null!;

    /// <summary>120 digits 0/1 (one t10k pair, so the fixed split halves it), each a noisy class template: two classes a run can tell apart.</summary>
    [OneTimeSetUp]
    public void WriteDigits()
    {
        _dir = new TempDir();
        const int count = 120;
        var pixels = new byte[count * 784];
        var labels = new byte[count];
        uint state = 2024;
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 2);
            for (int p = 0; p < 784; p++)
            {
                state = state * 1664525 + 1013904223;
                int row = p / 28, col = p % 28;
                bool stroke = labels[i] == 1 ? Math.Abs(col - 14) <= 2 && row is > 4 and < 24 : Math.Abs(Math.Sqrt((row - 14) * (row - 14) + (col - 14) * (col - 14)) - 8) <= 2;
                pixels[i * 784 + p] = (byte)Math.Min(255, (stroke ? 180 : 0) + (state >> 26));
            }
        }
        IdxWriter.WriteImages(Path.Combine(_dir.Path, "t10k-images-idx3-ubyte"), 28, 28, pixels);
        IdxWriter.WriteLabels(Path.Combine(_dir.Path, "t10k-labels-idx1-ubyte"), labels);
    }

    [OneTimeTearDown]
    public void Remove() => _dir.Dispose();

    /// <summary>A tiny run's arguments; <paramref name="more"/> adds options or replaces those of the same name.</summary>
    private string[] Tiny(params string[] more)
    {
        var map = new Dictionary<string, string>
        {
            ["--data"] = "mnist", ["--mnist-dir"] = _dir.Path, ["--resolution"] = "7", ["--n"] = "20", ["--m"] = "20", ["--beta"] = "0", ["--iterations"] = "3",
            ["--pgd-steps"] = "2", ["--eval-pgd-steps"] = "2", ["--eval-pgd-restarts"] = "1", ["--certify-steps"] = "0",
        };
        for (int i = 0; i + 1 < more.Length; i += 2) map[more[i]] = more[i + 1];
        return ["train", .. map.SelectMany(kv => new[] { kv.Key, kv.Value }), "--json"];
    }

    [TestCase("unit-norm", 0.5, 1UL)]
    [TestCase("unit-norm", 0.5, 2UL)]
    [TestCase("standardize-pool", 1.5, 1UL)]
    public void A_run_trains_at_the_fraction_of_its_own_M_hat_and_records_both(string normalization, double fraction, ulong seed)
    {
        var r = CliRunner.Run(Tiny("--normalization", normalization, "--alpha-over-mu", fraction.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", seed.ToString()));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;
        var p = root.GetProperty("provenance");
        double alpha = p.GetProperty("alpha").GetDouble(), muHat = p.GetProperty("signalNorm").GetDouble();

        // M̂ computed independently: the class-mean half-distance of the same seed's realized training set.
        var source = new MnistDataSource(_dir.Path, 7, normalization == "unit-norm" ? MnistNormalization.UnitNorm : MnistNormalization.StandardizePool, 20, 0);
        double expected = ClassMeans.HalfDistance(source.Realize(seed).Training);
        Assert.That(muHat, Is.EqualTo(expected).Within(1e-12).Percent);
        Assert.That(alpha, Is.EqualTo(fraction * muHat), "α is exactly the fraction of the recorded M̂");
        Assert.That(alpha, Is.GreaterThan(0));

        var s = root.GetProperty("settings");
        Assert.That(s.GetProperty("alphaOverMu").GetDouble(), Is.EqualTo(fraction));
        Assert.That(s.TryGetProperty("alpha", out _), Is.False, "α is not known before the run: the settings keep the fraction");
    }

    [Test]
    public void Different_seeds_draw_different_training_sets_so_alpha_differs_but_the_fraction_does_not()
    {
        double Alpha(string seed, out double muHat)
        {
            var r = CliRunner.Run(Tiny("--alpha-over-mu", "0.25", "--seed", seed));
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
            var p = JsonDocument.Parse(r.Out).RootElement.GetProperty("provenance");
            muHat = p.GetProperty("signalNorm").GetDouble();
            return p.GetProperty("alpha").GetDouble();
        }
        double a1 = Alpha("1", out double m1), a2 = Alpha("2", out double m2);
        Assert.That(m1, Is.Not.EqualTo(m2), "two seeds, two training sets");
        Assert.That((a1 / m1, a2 / m2), Is.EqualTo((0.25, 0.25)).Using<(double, double)>((x, y) => Math.Abs(x.Item1 - y.Item1) < 1e-15 && Math.Abs(x.Item2 - y.Item2) < 1e-15));
    }

    [Test]
    public void A_training_set_of_one_class_has_no_M_hat_and_the_error_names_alphaOverMu()
    {
        var r = CliRunner.Run(Tiny("--alpha-over-mu", "0.5", "--n", "1"));
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Out + r.Err);
        // The setting, its value, and the setting to give instead (after the progress lines, one error line).
        Errors.Names(r.Err.Split('\n').Single(l => l.StartsWith("error: ")), "alphaOverMu", "0.5", allowed: "alpha");
        Assert.That(r.Err.TrimEnd().Split('\n').Count(l => l.StartsWith("error")), Is.EqualTo(1), "one line, no stack trace");
    }

    [Test]
    public void Alpha_and_alpha_over_mu_together_are_refused()
    {
        var r = CliRunner.Run(Tiny("--alpha-over-mu", "0.5", "--alpha", "0.1"));
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("alpha and alphaOverMu are both set"));
    }

    [Test]
    [Category(Categories.Slow)]
    public void An_experiment_pairs_the_normalizations_at_exactly_the_fractions_it_sets()
    {
        using var t = new TempDir();
        string cfg = t.File("tiny-mnist.json", $$"""
            {
              "name": "tiny-mnist",
              "seeds": 2,
              "fixed": { "data": "mnist", "mnistDir": {{JsonSerializer.Serialize(_dir.Path)}}, "n": 20, "m": 20, "beta": 0, "iterations": 3,
                         "pgdSteps": 2, "evalPgdSteps": 2, "evalPgdRestarts": 1, "certifySteps": 0, "recordEvery": 1 },
              "grid": { "normalization": ["unit-norm", "standardize-pool"], "resolution": [7], "alphaOverMu": [0, 0.25, 1.5] }
            }
            """);
        var r = CliRunner.Run("report", cfg, "--results", t.Sub("results"), "--out", t.Sub("report"));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);

        var runs = Directory.GetFiles(Path.Combine(t.Sub("results"), "runs"), "*.json").Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();
        Assert.That(runs, Has.Count.EqualTo(12));
        foreach (var run in runs)
        {
            double fraction = run.GetProperty("settings").GetProperty("alphaOverMu").GetDouble();
            var p = run.GetProperty("provenance");
            Assert.That(p.GetProperty("alpha").GetDouble(), Is.EqualTo(fraction * p.GetProperty("signalNorm").GetDouble()));
        }

        string md = File.ReadAllText(Path.Combine(t.Sub("report"), "report.md"));
        Assert.That(md, Does.Contain("### MNIST against the Gaussian model"));
        // Three exact pairs at resolution 7: α/M̂ = 0, 0.25 and 1.5, standardize-pool against unit-norm.
        foreach (string ratio in new[] { "0", "0.25", "1.5" })
            Assert.That(md, Does.Contain($"| 0 | 7 | {ratio} | standardize-pool − unit-norm |"), ratio);
        Assert.That(md, Does.Contain("sensitivity: α > M̂"));
        Assert.That(md, Does.Contain("α/M̂ (alphaOverMu)"), "the cell table names the fraction");
    }
}
