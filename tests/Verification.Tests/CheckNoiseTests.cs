using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.Distributions;
using Verify.Simulation.Settings;
using Verify.Verification.Cells;

namespace Verify.Verification.Tests;

/// <summary>
/// `verify check --noise/--noise-condition/--label-noise` (docs/theory.md, "How they enter A1–A4 and R" and "Which references
/// apply"): the regime read in the noise family's scale, each hypothesis in both readings, the Gaussian references and the
/// HEURISTIC withheld outside Gaussian noise with random flips, the EXACT optimal clean error in their place. Expected values
/// are computed here from the laws' definitions (MathNet's normal distribution), not from the code under test.
/// </summary>
public class CheckNoiseTests
{
    // The default point of `check`: n = 100, d = 10⁵, M = 10, α = 1, β = 0.1, δ = 0.05, C = 1.
    private const int N = 100;
    private const double D = 100_000, M = 10, Alpha = 1, Beta = 0.1, Delta = 0.05;

    /// <summary>v = 1 + c² − c·φ(c)/Q(c) at c = 1, i.e. 2 − φ(1)/Q(1): the gauss-laplace law's strong log-concavity at unit variance.</summary>
    private static double GaussLaplaceV() => 2 - Normal.PDF(0, 1, 1) / (1 - Normal.CDF(0, 1, 1));

    private static JsonElement Json(params string[] args)
    {
        var r = CliRunner.Run(["check", "--json", .. args]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        return JsonDocument.Parse(r.Out).RootElement.Clone();
    }

    private static Dictionary<string, JsonElement> Assumptions(JsonElement root)
        => root.GetProperty("assumptions").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetString()!);

    private static string Row(string output, string label) => output.Split('\n').Single(l => l.Contains("│ " + label));

    [Test]
    public void Gauss_laplace_reads_A2_at_the_covariance_and_A3_and_the_bound_at_root_v_times_M()
    {
        double rootV = Math.Sqrt(GaussLaplaceV());
        Assert.That(rootV, Is.EqualTo(0.689).Within(5e-4), "the factor the docs quote");
        var gaussian = Assumptions(Json());
        var root = Json("--noise", "gauss-laplace");
        var laplace = Assumptions(root);
        // A2 is harder at M/σ, α/σ than at the family's smaller M′, α′: the covariance's reading binds, so it is the Gaussian A2.
        Assert.That(laplace["A2"].GetProperty("cStar").GetDouble(), Is.EqualTo(gaussian["A2"].GetProperty("cStar").GetDouble()));
        Assert.That(laplace["A2"].GetProperty("cStar").GetDouble(), Is.EqualTo(D / (N * N * (Math.Log(N / Delta) + Alpha * Alpha))).Within(1e-12).Percent);
        // A3: M′² ≥ C·ln(n/δ) with M′ = √v·M.
        Assert.That(laplace["A3"].GetProperty("cStar").GetDouble(), Is.EqualTo(Math.Pow(rootV * M, 2) / Math.Log(N / Delta)).Within(1e-10).Percent);
        Assert.That(laplace["A3"].GetProperty("cStar").GetDouble(), Is.LessThan(gaussian["A3"].GetProperty("cStar").GetDouble()), "harder than under Gaussian noise");
        // The clean bound at the family's scale: β + 2·exp(−n·(√v·M)⁴/(C·d)).
        double bound = Beta + 2 * Math.Exp(-N * Math.Pow(rootV * M, 4) / (1 * D));
        Assert.That(root.GetProperty("bounds").GetProperty("clean").GetDouble(), Is.EqualTo(bound).Within(1e-10).Percent);
        Assert.That(root.GetProperty("regime").GetProperty("mu").GetDouble(), Is.EqualTo(M), "the regime as given, M in noise units");
        Assert.That(root.GetProperty("noiseModel").GetProperty("theoryScale").GetProperty("mu").GetDouble(), Is.EqualTo(rootV * M).Within(1e-10).Percent);

        var table = CliRunner.Run("check", "--noise", "gauss-laplace");
        Assert.That(table.ExitCode, Is.EqualTo(0), table.Err);
        Assert.That(table.Out, Does.Contain("gauss-laplace: M/σ and α/σ × 0.689, each hypothesis also at M/σ and α/σ (RECONSTRUCTED)"), "the scale note");
        Assert.That(Row(table.Out, "Thm 3.1 clean error"), Does.Contain(bound.ToString("G4", CultureInfo.InvariantCulture)).And.Contain("RECONSTRUCTED"));
        Assert.That(Row(table.Out, "A2"), Does.Contain("1.163"));
        Assert.That(table.Out, Does.Match(@"M/σ and α/σ, where harder[^\n]*: A2;"), "which assumption the covariance's reading sets");
    }

    /// <summary>λ₁ = 1 on μ, λ_j ∝ κ^{1 − (j−2)/(d−2)} for j = 2 … d with mean 1 (docs/theory.md's table); d_eff = (Σλ)²/Σλ².</summary>
    private static double EffectiveDimension(int d, double kappa)
    {
        var l = new double[d];
        l[0] = 1;
        for (int j = 2; j <= d; j++) l[j - 1] = Math.Pow(kappa, 1 - (j - 2.0) / (d - 2));
        double c = (d - 1) / l.Skip(1).Sum();
        for (int j = 1; j < d; j++) l[j] *= c;
        return Math.Pow(l.Sum(), 2) / l.Sum(x => x * x);
    }

    [Test]
    public void Anisotropic_noise_reads_d_as_d_eff_and_says_so()
    {
        string[] args = ["--noise", "anisotropic", "--noise-condition", "8", "--d", "20000", "--mu", "6"];
        double dEff = Math.Round(EffectiveDimension(20_000, 8));
        Assert.That(dEff, Is.LessThan(20_000));
        string deff = dEff.ToString("0", CultureInfo.InvariantCulture);

        var table = CliRunner.Run(["check", .. args]);
        Assert.That(table.ExitCode, Is.EqualTo(0), table.Err);
        var scaleLine = table.Out.Split('\n').Single(l => l.StartsWith("Theory scale:"));
        Assert.That(scaleLine, Does.Contain("anisotropic (noiseCondition = 8, d = 20000)").And.Contain($"d → d_eff = {deff}").And.Contain("RECONSTRUCTED"));
        Assert.That(Row(table.Out, "A2"), Does.Contain($"│ {deff} "), "A2's left side is d_eff");
        Assert.That(table.Out, Does.Contain("smallest d_eff satisfying A2").And.Contain($"d = 20000 gives d_eff = {deff}"));
        Assert.That(table.Out, Does.Match(@"Noise model: noise = anisotropic, labelNoise = random, noiseCondition = 8\b"));

        var root = Json(args);
        var model = root.GetProperty("noiseModel");
        Assert.That(model.GetProperty("noise").GetString(), Is.EqualTo("anisotropic"));
        Assert.That(model.GetProperty("noiseCondition").GetDouble(), Is.EqualTo(8));
        Assert.That(model.GetProperty("scaleNote").GetString(), Does.Contain($"d_eff = {deff}"));
        Assert.That(model.GetProperty("theoryScale").GetProperty("d").GetDouble(), Is.EqualTo(dEff));
        Assert.That(Assumptions(root)["A2"].GetProperty("lhs").GetDouble(), Is.EqualTo(dEff));
        Assert.That(root.GetProperty("regime").GetProperty("d").GetDouble(), Is.EqualTo(20_000), "the regime as given");
        Assert.That(root.GetProperty("inverse").GetProperty("dimension").GetString(), Is.EqualTo("d_eff"));
    }

    [TestCase(new[] { "--noise-condition", "8" }, "noiseCondition", "8", "anisotropic")]
    [TestCase(new[] { "--noise", "gauss-laplace", "--noise-condition", "8" }, "noiseCondition", "8", "anisotropic")]
    [TestCase(new[] { "--noise", "foo" }, "noise", "'foo'", "gaussian, gauss-laplace, anisotropic")]
    [TestCase(new[] { "--label-noise", "bar" }, "labelNoise", "'bar'", "random, margin, confident, spurious")]
    [TestCase(new[] { "--noise", "anisotropic", "--noise-condition", "0.5" }, "noiseCondition", "'0.5'", "[1, 1e6]")]
    [TestCase(new[] { "--noise", "anisotropic", "--noise-condition", "2e6" }, "noiseCondition", "'2e6'", "[1, 1e6]")]
    [TestCase(new[] { "--label-noise", "spurious", "--d", "1" }, "d", "1", "at least 2")]
    public void A_noise_setting_the_model_refuses_is_one_named_line_with_exit_code_two(string[] extra, string field, string value, string allowed)
    {
        foreach (var json in new[] { false, true })
        {
            var r = CliRunner.Run(["check", .. extra, .. json ? new[] { "--json" } : []]);
            Errors.Refused(r, field, value, allowed);
            Assert.That(r.Out, Is.Empty);
        }
        // The same words as `verify train` (the settings table's and GaussianMixture's).
        var train = CliRunner.Run(["train", "--iterations", "0", .. extra]);
        Assert.That(train.ExitCode, Is.EqualTo(2));
        Assert.That(CliRunner.Run(["check", .. extra]).Err, Is.EqualTo(train.Err));
    }

    [Test]
    public void Margin_flips_hide_the_Gaussian_references_and_show_the_optimal_clean_error_below_beta()
    {
        // M = 3: the optimal clean error against margin flips is Φ(−m) − Φ(min(q, −2m − q)), q = Φ⁻¹(β) (docs/theory.md).
        double m = 3, q = Normal.InvCDF(0, 1, Beta);
        double optimal = Normal.CDF(0, 1, -m) - Normal.CDF(0, 1, Math.Min(q, -2 * m - q));
        Assert.That(optimal, Is.LessThan(Beta));
        string[] args = ["--label-noise", "margin", "--mu", "3", "--d", "1e6"];
        var r = CliRunner.Run(["check", .. args]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        foreach (var hidden in new[] { "Gaussian Bayes clean error", "robust error of sgn⟨μ, x⟩", "robust error of any classifier", "predicted clean error", "predicted robust error", "d where predicted" })
            Assert.That(r.Out, Does.Not.Contain(hidden), hidden);
        var row = Row(r.Out, "optimal clean error");
        Assert.That(row, Does.Contain(optimal.ToString("G4", CultureInfo.InvariantCulture)).And.Contain("EXACT").And.Contain("below β"));
        Assert.That(r.Out.Split('\n').Count(l => l.Contains("derived for Gaussian noise with random flips only")), Is.EqualTo(1), "said once, in one line");
        Assert.That(r.Out, Does.Contain("label noise alone (labelNoise = margin) changes no hypothesis and no bound"));
        foreach (var label in new[] { "STATED", "RECONSTRUCTED", "EXACT" }) Assert.That(r.Out, Does.Contain(label));

        // Label noise alone changes no hypothesis and no bound: the same as random flips at this point.
        var margin = Json(args);
        var random = Json("--mu", "3", "--d", "1e6");
        Assert.That(margin.GetProperty("assumptions").GetRawText(), Is.EqualTo(random.GetProperty("assumptions").GetRawText()));
        Assert.That(margin.GetProperty("summary").GetRawText(), Is.EqualTo(random.GetProperty("summary").GetRawText()));
        Assert.That(margin.GetProperty("bounds").GetProperty("clean").GetDouble(), Is.EqualTo(random.GetProperty("bounds").GetProperty("clean").GetDouble()));
        var opt = margin.GetProperty("optimalClean");
        Assert.That(opt.GetProperty("value").GetDouble(), Is.EqualTo(optimal).Within(1e-9).Percent);
        Assert.That(opt.GetProperty("belowBeta").GetBoolean(), Is.True);
        Assert.That(opt.GetProperty("provenance").GetString(), Is.EqualTo("EXACT"));
        Assert.That(margin.GetProperty("noiseModel").GetProperty("theoryScale").ValueKind, Is.EqualTo(JsonValueKind.Null), "Gaussian noise: no rescaling");
    }

    [Test]
    public void Flips_that_depend_on_x_put_the_collapse_at_one_half_minus_beta_and_say_so()
    {
        var r = CliRunner.Run("check", "--label-noise", "confident", "--alpha", "12");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(Row(r.Out, "Thm 3.2 collapse"), Does.Contain("1/2 − β = 0.4").And.Contain("STATED").And.Contain("flips depend on x"));
        var bounds = Json("--label-noise", "confident", "--alpha", "12").GetProperty("bounds");
        Assert.That(bounds.GetProperty("collapse").GetBoolean());
        Assert.That(bounds.GetProperty("robustLowerAnyClassifier").GetDouble(), Is.EqualTo(0.5 - Beta));
        Assert.That(bounds.GetProperty("collapseLevel").GetDouble(), Is.EqualTo(0.5 - Beta));
        // Random flips under another noise law keep 1/2 (Theorem 3.2's argument needs nothing of the law).
        var laplace = Json("--noise", "gauss-laplace", "--alpha", "12").GetProperty("bounds");
        Assert.That(laplace.GetProperty("robustLowerAnyClassifier").GetDouble(), Is.EqualTo(0.5));
        Assert.That(Row(CliRunner.Run("check", "--noise", "gauss-laplace", "--alpha", "12").Out, "Thm 3.2 collapse"), Does.Contain("≥ 1/2 ").And.Not.Contain("β"));
    }

    [Test]
    public void Json_for_gauss_laplace_has_the_noise_model_and_null_references_with_a_reason()
    {
        var root = Json("--noise", "gauss-laplace");
        var model = root.GetProperty("noiseModel");
        Assert.That(model.GetProperty("labelNoise").GetString(), Is.EqualTo("random"));
        Assert.That(model.GetProperty("noise").GetString(), Is.EqualTo("gauss-laplace"));
        Assert.That(model.GetProperty("noiseCondition").ValueKind, Is.EqualTo(JsonValueKind.Null), "only the anisotropic law has one");
        Assert.That(model.GetProperty("scaleNote").GetString(), Does.Contain("× 0.689").And.Contain("RECONSTRUCTED"));

        foreach (var (obj, keys) in new[] { ("gaussian", new[] { "bayesClean", "robustLower", "linearRobust" }), ("heuristic", new[] { "s", "clean", "robust", "cleanLabelClean", "cleanLabelRobust" }) })
        {
            var o = root.GetProperty(obj);
            foreach (var k in keys) Assert.That(o.GetProperty(k).ValueKind, Is.EqualTo(JsonValueKind.Null), $"{obj}.{k}");
            Assert.That(o.GetProperty("reason").GetString(), Does.Contain("derived for Gaussian noise with random flips only").And.Contain("gauss-laplace"), obj);
        }
        Assert.That(root.GetProperty("gaussian").GetProperty("provenance").GetString(), Is.EqualTo("EXACT"));
        Assert.That(root.GetProperty("heuristic").GetProperty("provenance").GetString(), Is.EqualTo("HEURISTIC"));
        var inverse = root.GetProperty("inverse");
        Assert.That(inverse.GetProperty("heuristicCleanBoundaryD").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(inverse.GetProperty("heuristicRobustBoundaryD").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(inverse.GetProperty("heuristicReason").GetString(), Does.Contain("random flips only"));
        Assert.That(inverse.GetProperty("dimension").GetString(), Is.EqualTo("d"));
        var bounds = root.GetProperty("bounds");
        Assert.That(bounds.GetProperty("robustLowerAnyClassifier").ValueKind, Is.EqualTo(JsonValueKind.Null), "below α = M the EXACT lower bound is the Gaussian model's");
        Assert.That(bounds.GetProperty("robustLowerAnyClassifierReason").GetString(), Does.Contain("random flips only"));
        // Random flips: the optimal clean error is β + (1 − 2β)·F(−M) ≥ β.
        Assert.That(root.GetProperty("optimalClean").GetProperty("belowBeta").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("optimalClean").GetProperty("value").GetDouble(), Is.GreaterThanOrEqualTo(Beta));
        Assert.That(Json().TryGetProperty("noiseModel", out _), Is.False, "the default document is unchanged");
    }

    [Test]
    public void The_default_model_given_explicitly_prints_exactly_the_default_output()
    {
        foreach (var extra in new[] { Array.Empty<string>(), ["--json"], ["--d", "1000", "--mu", "5", "--alpha", "0.5"], ["--alpha", "10", "--json"] })
        {
            var plain = CliRunner.Run(["check", .. extra]);
            var given = CliRunner.Run(["check", "--noise", "gaussian", "--label-noise", "random", .. extra]);
            Assert.That(given.ExitCode, Is.EqualTo(plain.ExitCode));
            Assert.That(given.Out, Is.EqualTo(plain.Out), string.Join(' ', extra));
        }
    }

    [Test]
    public void Every_d_up_to_1e15_is_answered_for_every_family_and_rule()
    {
        // The anisotropic law's scale and ξ₁'s law in closed form: no spectrum of 10¹⁵ coordinates is built.
        foreach (var noise in new[] { "gaussian", "gauss-laplace", "anisotropic" })
            foreach (var rule in new[] { "random", "margin", "confident", "spurious" })
            {
                var root = Json("--d", "1e15", "--noise", noise, "--label-noise", rule);
                if (noise == "gaussian" && rule == "random") continue;
                double optimal = root.GetProperty("optimalClean").GetProperty("value").GetDouble();
                Assert.That(double.IsFinite(optimal) && optimal >= 0 && optimal < 0.5, $"{noise}/{rule}: {optimal}");
            }
        // ξ₁ is N(0, σ²) under the anisotropic law too, so its optimal clean error is the Gaussian one.
        Assert.That(Json("--d", "1e15", "--noise", "anisotropic", "--label-noise", "margin", "--mu", "2").GetProperty("optimalClean").GetProperty("value").GetDouble(),
            Is.EqualTo(Json("--d", "1e15", "--label-noise", "margin", "--mu", "2").GetProperty("optimalClean").GetProperty("value").GetDouble()));
    }

    [TestCase(NoiseFamily.GaussLaplace, 0.0, 100_000.0, 10.0, 1.0)]
    [TestCase(NoiseFamily.GaussLaplace, 0.0, 5_000.0, 3.0, 0.5)]
    [TestCase(NoiseFamily.GaussLaplace, 0.0, 1e9, 40.0, 2.0)]
    public void Inverse_queries_keep_A2_and_R_in_both_readings(NoiseFamily noise, double condition, double d, double mu, double alpha)
    {
        CellParameters Cell(double dd, double a) => new(DataKind.Gaussian, N, dd, 1000, mu, a, Beta, 1, LabelNoise.Random, noise, condition);
        bool Holds(CellParameters p, params string[] ids) => p.Analysis(1, Delta).Assumptions.Where(x => ids.Contains(x.Id)).All(x => x.Holds);
        var inverse = Cell(d, alpha).Inverse(1, Delta, 0.05);
        // gauss-laplace: d′ = d, so the smallest d for A2 is a d.
        Assert.That(Holds(Cell(inverse.MinD, alpha), "A2"), Is.True, "A2 holds at the smallest d");
        Assert.That(Holds(Cell(inverse.MinD - 1, alpha), "A2"), Is.False, "and fails just below it");
        if (inverse.MaxAlpha is { } top)
        {
            Assert.That(Holds(Cell(d, top * (1 - 1e-9)), "A2", "R"), Is.True, "R and A2 hold just below the largest α");
            Assert.That(Holds(Cell(d, top * (1 + 1e-9)), "A2", "R"), Is.False, "and one fails just above it");
        }
        Assert.That(inverse.HeuristicCleanBoundaryD, Is.Null);
        Assert.That(inverse.HeuristicRobustBoundaryD, Is.Null);
    }

    private static readonly string[] Values = ["", "0", "-1", "1", "4", "1e6", "1e7", "NaN", "Infinity", "abc", "gaussian", "random", "margin", "anisotropic", "GAUSS-LAPLACE", "é"];

    [Test]
    public void Any_value_of_a_noise_option_is_an_answer_or_one_error_line()
    {
        foreach (var option in new[] { "--noise", "--noise-condition", "--label-noise" })
            foreach (var value in Values)
            {
                var r = CliRunner.Run(option == "--noise" ? ["check", option, value] : ["check", option, value, "--noise", "anisotropic"]);
                Assert.That(r.ExitCode, Is.AnyOf(0, 2), $"{option} {value}: {r.Err}");
                if (r.ExitCode == 2) { Errors.OneErrorLine(r.Err); Assert.That(r.Out, Is.Empty); }
            }
    }
}
