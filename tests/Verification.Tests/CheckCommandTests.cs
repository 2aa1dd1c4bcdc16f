using System.Text.Json;

namespace Verify.Verification.Tests;

public class CheckCommandTests
{
    [Test]
    public void Default_check_prints_the_verdict_line_and_the_tables()
    {
        var r = CliRunner.Run("check");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var lines = r.Out.Split('\n');
        Assert.That(lines[1], Does.Match(@"\bhold\b\D*\bC\* = 1\.163\b\D*\bbinding: A2\b"), "the verdict, C* and the binding assumption");
        foreach (var id in new[] { "A1", "A2", "A3", "A4", "R ", "A5", "A6" }) Assert.That(r.Out, Does.Contain("│ " + id));
        Assert.That(r.Out, Does.Contain("RECONSTRUCTED").And.Contain("EXACT").And.Contain("HEURISTIC").And.Contain("STATED").And.Contain("stated in words only"));
        Assert.That(r.Out, Does.Contain("not the paper's numbers"));
        // The clean claims need A1–A4 only (C* = 1.163 from A2); the robust one R too (C* = 3.162 from R is looser here).
        Assert.That(r.Out, Does.Match(@"\bA1–A4\D*\b1\.163\b\D*\bR\b\D*\b1\.163\b"), "the clean claims' assumptions and C*, then the robust one's");
        Assert.That(r.Out, Does.Contain("EXACT lower bound").And.Not.Contain("best robust"), "a lower bound, not a best value");
    }

    [Test]
    public void A_bound_of_one_or_more_is_called_vacuous()
    {
        // d = 10⁵, M = 3: the hypotheses hold at C = 1 (C* = 1.18), and the bound β + 2·e^(−n·M⁴/(C·d)) = 1.94 bounds nothing.
        var r = CliRunner.Run("check", "--d", "100000", "--mu", "3", "--alpha", "0");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out.Split('\n').Single(l => l.Contains("Thm 3.1 clean error")), Does.Contain("1.944").And.Contain("vacuous"));
        Assert.That(CliRunner.Run("check").Out, Does.Not.Contain("vacuous"), "the default point's bound is 0.1 + 2·e^(−10): not vacuous");
        using var doc = JsonDocument.Parse(CliRunner.Run("check", "--json", "--d", "100000", "--mu", "3", "--alpha", "0").Out);
        Assert.That(doc.RootElement.GetProperty("bounds").GetProperty("cleanVacuous").GetBoolean(), Is.True);
    }

    [Test]
    public void Failing_regime_is_marked_and_strict_sets_exit_code_one()
    {
        var r = CliRunner.Run("check", "--d", "1000", "--mu", "5", "--alpha", "0.5");
        Assert.That(r.ExitCode, Is.EqualTo(0));
        Assert.That(r.Out, Does.Match(@"\bC = 1\b\D*\bfail \(A2\)"), "at C = 1: fail, and which assumption");
        Assert.That(CliRunner.Run("check", "--d", "1000", "--strict").ExitCode, Is.EqualTo(1));
        Assert.That(CliRunner.Run("check", "--strict").ExitCode, Is.EqualTo(0));
    }

    [Test]
    public void Json_has_the_documented_keys_and_values()
    {
        var r = CliRunner.Run("check", "--json", "--d", "1000", "--mu", "5", "--alpha", "0.5");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        var regime = root.GetProperty("regime");
        foreach (var k in new[] { "n", "d", "m", "mu", "alpha", "beta", "delta", "C" }) Assert.That(regime.TryGetProperty(k, out _), k);
        Assert.That(regime.GetProperty("d").GetDouble(), Is.EqualTo(1000));

        var assumptions = root.GetProperty("assumptions").EnumerateArray().ToList();
        Assert.That(assumptions.Select(a => a.GetProperty("id").GetString()), Is.EqualTo(new[] { "A1", "A2", "A3", "A4", "R" }));
        foreach (var a in assumptions)
            foreach (var k in new[] { "expression", "lhs", "rhs", "holds", "cStar", "provenance" }) Assert.That(a.TryGetProperty(k, out _), k);
        var a2 = assumptions[1];
        Assert.That(a2.GetProperty("holds").GetBoolean(), Is.False);
        // C* = 1000 / (100²·(ln 2000 + 0.25)).
        Assert.That(a2.GetProperty("cStar").GetDouble(), Is.EqualTo(1000 / (1e4 * (Math.Log(2000) + 0.25))).Within(1e-15));
        Assert.That(a2.GetProperty("provenance").GetString(), Is.EqualTo("STATED"));

        var bounds = root.GetProperty("bounds");
        foreach (var k in new[] { "clean", "robust", "collapse", "robustLowerAnyClassifier" }) Assert.That(bounds.TryGetProperty(k, out _), k);
        Assert.That(bounds.GetProperty("collapse").GetBoolean(), Is.False);
        // R at d = 1000, M = 5, α = 0.5: C* = 5·√(100·25/1000)/0.5 = 15.8 ≥ 1, so a robust value exists.
        Assert.That(bounds.GetProperty("robust").ValueKind, Is.EqualTo(JsonValueKind.Number));
        foreach (var k in new[] { "bayesClean", "robustLower", "linearRobust" }) Assert.That(root.GetProperty("gaussian").TryGetProperty(k, out _), k);
        Assert.That(bounds.GetProperty("provenance").GetProperty("robustLowerAnyClassifier").GetString(), Is.EqualTo("EXACT lower bound"));
        // A1–A4 at d = 1000: A2 binds at 1000/(100²·(ln 2000 + 0.25)); R alone would allow 15.8.
        var summary = root.GetProperty("summary");
        Assert.That(summary.GetProperty("cStarClean").GetDouble(), Is.EqualTo(1000 / (1e4 * (Math.Log(2000) + 0.25))).Within(1e-15));
        Assert.That(summary.GetProperty("cStarRobust").GetDouble(), Is.EqualTo(summary.GetProperty("cStarClean").GetDouble()));
        foreach (var k in new[] { "clean", "robust", "cleanLabelClean", "cleanLabelRobust" }) Assert.That(root.GetProperty("heuristic").TryGetProperty(k, out _), k);
        Assert.That(root.GetProperty("heuristic").GetProperty("clean").GetDouble(), Is.EqualTo(0.10003507976950236093).Within(1e-15));
        var inv = root.GetProperty("inverse");
        foreach (var k in new[] { "minD", "maxAlpha", "maxBeta" }) Assert.That(inv.TryGetProperty(k, out _), k);
        Assert.That(inv.GetProperty("maxAlpha").ValueKind, Is.EqualTo(JsonValueKind.Null), "A2 fails at α = 0 for d = 1000");
    }

    [Test]
    public void Infinity_is_written_as_a_string_and_robust_is_null_when_R_fails()
    {
        var zero = JsonDocument.Parse(CliRunner.Run("check", "--json", "--alpha", "0", "--beta", "0").Out).RootElement;
        var ids = zero.GetProperty("assumptions").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetString()!);
        Assert.That(ids["R"].GetProperty("cStar").GetString(), Is.EqualTo("Infinity"));
        Assert.That(ids["A4"].GetProperty("cStar").GetString(), Is.EqualTo("Infinity"));

        var failing = JsonDocument.Parse(CliRunner.Run("check", "--json", "--alpha", "5").Out).RootElement;
        Assert.That(failing.GetProperty("bounds").GetProperty("robust").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(failing.GetProperty("bounds").GetProperty("robustReason").GetString(), Does.Contain("R fails"));

        var collapse = JsonDocument.Parse(CliRunner.Run("check", "--json", "--alpha", "10").Out).RootElement;
        Assert.That(collapse.GetProperty("bounds").GetProperty("collapse").GetBoolean());
        Assert.That(collapse.GetProperty("bounds").GetProperty("robustLowerAnyClassifier").GetDouble(), Is.EqualTo(0.5));
    }

    [TestCase(new[] { "--n", "0" }, "n", "0")]
    [TestCase(new[] { "--d", "-3" }, "d", "-3")]
    [TestCase(new[] { "--beta", "0.7" }, "beta", "0.7")]
    [TestCase(new[] { "--delta", "1" }, "delta", "1")]
    [TestCase(new[] { "--mu", "NaN" }, "mu", "NaN")]
    [TestCase(new[] { "--d", "abc" }, "--d", "'abc'")]
    [TestCase(new[] { "--n", "2.5" }, "--n", "'2.5'")]
    [TestCase(new[] { "--epsilon", "0" }, "epsilon", "0")]
    public void Bad_input_is_one_named_line_with_exit_code_two(string[] extra, string field, string value)
    {
        var r = CliRunner.Run(["check", .. extra]);
        Errors.Refused(r, field, value);
        Assert.That(r.Out, Is.Empty);
    }

    [Test]
    public void An_unknown_option_is_one_line_naming_it_with_exit_code_two()
    {
        var r = CliRunner.Run("check", "--foo", "1");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Errors.OneErrorLine(r.Err);
        Assert.That(r.Err, Does.Contain("'--foo'"));
        Assert.That(r.Out, Is.Empty);
    }

    [Test]
    public void Help_documents_every_option()
    {
        var r = CliRunner.Run("check", "--help");
        Assert.That(r.ExitCode, Is.EqualTo(0));
        foreach (var o in new[] { "--n", "--d", "--m", "--mu", "--alpha", "--beta", "--delta", "--c", "--epsilon", "--json", "--strict" })
            Assert.That(r.Out, Does.Contain(o));
        Assert.That(r.Out, Does.Contain("label-noise rate").And.Contain("attack budget"));
    }
}
