using System.Text.Json;

namespace Verify.Verification.Tests;

public class BenchCommandTests
{
    /// <summary>A configuration that runs in well under a second.</summary>
    private static readonly string[] Tiny = ["bench", "--d", "50", "--iterations", "2", "--pgd-steps", "2", "--n", "10", "--m", "20", "--repeats", "1"];

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("verify-bench-test-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A stand-in for pytorch_reference.py, run by /bin/sh: records its arguments, prints noise and
    /// then a JSON line whose train_seconds is taken in turn from <paramref name="trainSeconds"/>.
    /// </summary>
    private string FakeBaseline(params string[] trainSeconds)
    {
        var path = Path.Combine(_dir, "fake_reference.sh");
        var cases = string.Join("\n", trainSeconds.Select((t, i) => $"  {i + 1}) t={t} ;;"));
        File.WriteAllText(path, $$"""
            dir=$(dirname "$0")
            c=$(cat "$dir/count" 2>/dev/null || echo 0); c=$((c + 1)); echo $c > "$dir/count"
            echo "$@" >> "$dir/args"
            case $c in
            {{cases}}
              *) t=99 ;;
            esac
            echo "loading fake torch"
            echo '{"not_the_line": 1}'
            echo "{\"robust_train_err\": 0.0, \"train_seconds\": $t, \"iters\": 2}"
            """);
        return path;
    }

    [Test]
    public void Missing_python_reports_verify_timing_and_the_note_with_exit_code_zero()
    {
        var r = CliRunner.Run([.. Tiny, "--python", "/nonexistent"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Match(@"\bMilliseconds\b[\s\S]*│ Verify \(rotation-invariant, R = 21\) *│ 1 +│"), "the unit, and Verify's row with its one run");
        Assert.That(r.Out, Does.Match(@"(?m)^baseline unavailable: .*'/nonexistent' not found\b"), "the note's label and the interpreter named");
        Assert.That(r.Out, Does.Not.Contain("PyTorch / Verify"));
        Assert.That(r.Out, Does.Contain("Environment").And.Contain("BLAS backend").And.Contain(".NET").And.Contain("Verify version"));
        Assert.That(r.Err, Does.Contain("repeat 1/1: Verify"));

        var j = CliRunner.Run([.. Tiny, "--python", "/nonexistent", "--json"]);
        Assert.That(j.ExitCode, Is.EqualTo(0), j.Err);
        var root = JsonDocument.Parse(j.Out).RootElement;
        var verify = root.GetProperty("verify").GetProperty("secondsPerIteration");
        Assert.That(verify.GetProperty("median").GetDouble(), Is.GreaterThan(0));
        Assert.That(verify.GetProperty("runs").GetArrayLength(), Is.EqualTo(1));
        var torch = root.GetProperty("pytorch");
        Assert.That(torch.GetProperty("available").GetBoolean(), Is.False);
        Assert.That(torch.GetProperty("note").GetString(), Does.StartWith("baseline unavailable"));
        Assert.That(torch.GetProperty("secondsPerIteration").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(root.GetProperty("ratio").ValueKind, Is.EqualTo(JsonValueKind.Null));
        foreach (var k in new[] { "cpu", "cores", "dotnet", "blas", "precision", "verifyVersion" })
            Assert.That(root.GetProperty("environment").TryGetProperty(k, out _), k);
    }

    [Test]
    public void The_backend_used_is_reported_with_why()
    {
        var r = CliRunner.Run([.. Tiny, "--python", "/nonexistent", "--json", "--blas", "managed"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        string blas = JsonDocument.Parse(r.Out).RootElement.GetProperty("environment").GetProperty("blas").GetString()!;
        Assert.That(blas, Does.StartWith("managed (").And.EndWith("; forced)"));
        var table = CliRunner.Run([.. Tiny, "--python", "/nonexistent", "--blas", "managed"]);
        Assert.That(table.Out, Does.Contain("BLAS backend").And.Contain("forced"));
    }

    [Test]
    public void Ratio_is_computed_from_the_numbers_the_baseline_prints()
    {
        // iters = 2: 3.0, 1.0, 2.0 s of training are 1.5, 0.5, 1.0 s per iteration; median 1.0.
        var fake = FakeBaseline("3.0", "1.0", "2.0");
        var r = CliRunner.Run([.. Tiny[..^2], "--repeats", "3", "--python", "/bin/sh", "--baseline", fake, "--json"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;
        var torch = root.GetProperty("pytorch");
        Assert.That(torch.GetProperty("available").GetBoolean(), Is.True, r.Err);
        var spi = torch.GetProperty("secondsPerIteration");
        Assert.That(spi.GetProperty("runs").EnumerateArray().Select(x => x.GetDouble()), Is.EqualTo(new[] { 1.5, 0.5, 1.0 }));
        Assert.That(spi.GetProperty("median").GetDouble(), Is.EqualTo(1.0));
        Assert.That(spi.GetProperty("min").GetDouble(), Is.EqualTo(0.5));
        Assert.That(spi.GetProperty("max").GetDouble(), Is.EqualTo(1.5));

        var verify = root.GetProperty("verify").GetProperty("secondsPerIteration");
        var verifyRuns = verify.GetProperty("runs").EnumerateArray().Select(x => x.GetDouble()).Order().ToArray();
        Assert.That(verifyRuns, Has.Length.EqualTo(3));
        Assert.That(verify.GetProperty("median").GetDouble(), Is.EqualTo(verifyRuns[1]));
        Assert.That(root.GetProperty("ratio").GetDouble(), Is.EqualTo(1.0 / verifyRuns[1]).Within(1e-12).Percent);

        // Alternation: Verify, PyTorch, Verify, PyTorch, …
        var order = r.Err.Split('\n').Where(l => l.StartsWith("repeat ")).Select(l => l.Split(':')[0] + ":" + l.Split(':')[1].Trim().Split(' ')[0]).ToArray();
        Assert.That(order, Is.EqualTo(new[] { "repeat 1/3:Verify", "repeat 1/3:PyTorch", "repeat 2/3:Verify", "repeat 2/3:PyTorch", "repeat 3/3:Verify", "repeat 3/3:PyTorch" }));

        // The same configuration on both sides, with Verify's learning rate and init scale.
        var args = File.ReadAllLines(Path.Combine(_dir, "args"));
        Assert.That(args, Has.Length.EqualTo(3));
        var a = args[0].Split(' ');
        string Arg(string name) => a[Array.IndexOf(a, name) + 1];
        var config = root.GetProperty("config");
        Assert.That(Arg("--n"), Is.EqualTo("10"));
        Assert.That(Arg("--d"), Is.EqualTo("50"));
        Assert.That(Arg("--m"), Is.EqualTo("20"));
        Assert.That(Arg("--iters"), Is.EqualTo("2"));
        Assert.That(Arg("--pgd"), Is.EqualTo("2"));
        Assert.That(Arg("--eval-pgd"), Is.EqualTo("0"));
        Assert.That(double.Parse(Arg("--lr"), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(config.GetProperty("lr").GetDouble()));
        Assert.That(double.Parse(Arg("--init"), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(1e-3 / Math.Sqrt(50)).Within(1e-15));
        Assert.That(a, Does.Not.Contain("--float32"));
    }

    [Test]
    public void Table_shows_the_ratio_and_float32_and_lr_reach_the_baseline()
    {
        var fake = FakeBaseline("0.5");
        var r = CliRunner.Run([.. Tiny, "--python", "/bin/sh", "--baseline", fake, "--precision", "f32", "--learning-rate", "0.125"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("PyTorch / Verify (medians):").And.Match(@"│ PyTorch baseline \(autograd, R\^50\) *│ 1 +│ 250 +│"), "the baseline's row: 1 run, median 250 ms");
        Assert.That(r.Out, Does.Contain("f32").And.Not.Contain("baseline unavailable"));
        var a = File.ReadAllText(Path.Combine(_dir, "args")).Trim().Split(' ');
        Assert.That(a, Does.Contain("--float32"));
        Assert.That(a[Array.IndexOf(a, "--lr") + 1], Is.EqualTo("0.125"));
    }

    [Test]
    public void A_failing_baseline_is_a_note_not_a_failure()
    {
        var path = Path.Combine(_dir, "no_torch.sh");
        File.WriteAllText(path, "echo \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
        var r = CliRunner.Run([.. Tiny[..^2], "--repeats", "2", "--python", "/bin/sh", "--baseline", path, "--json"]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var root = JsonDocument.Parse(r.Out).RootElement;
        Assert.That(root.GetProperty("pytorch").GetProperty("note").GetString(), Does.Contain("torch is not installed"));
        Assert.That(root.GetProperty("verify").GetProperty("secondsPerIteration").GetProperty("runs").GetArrayLength(), Is.EqualTo(2));
        Assert.That(r.Err.Split('\n').Count(l => l.Contains("PyTorch")), Is.EqualTo(1), "no retry after a failure");
    }

    [TestCase(new[] { "--repeats", "0" }, "repeats", "0", null)]
    [TestCase(new[] { "--iterations", "0" }, "iterations", "0", null)]
    [TestCase(new[] { "--pgd-steps", "-1" }, "pgdSteps", "'-1'", null)]
    [TestCase(new[] { "--m", "21" }, "m", "'21'", "an even integer")]
    [TestCase(new[] { "--learning-rate", "-0.5" }, "learningRate", "'-0.5'", null)]
    [TestCase(new[] { "--alpha", "NaN" }, "alpha", "'NaN'", null)]
    [TestCase(new[] { "--iterations", "abc" }, "iterations", "'abc'", null)]
    [TestCase(new[] { "--precision", "f16" }, "precision", "'f16'", null)]
    [TestCase(new[] { "--baseline", "/nonexistent/pytorch_reference.py" }, "baseline", "/nonexistent/pytorch_reference.py", null)]
    public void Bad_input_is_one_named_line_with_exit_code_two(string[] extra, string field, string value, string? allowed)
    {
        var r = CliRunner.Run(["bench", .. extra]);
        Errors.Refused(r, field, value, allowed);
        Assert.That(r.Out, Is.Empty);
    }
}
