namespace Verify.Verification.Tests.Experiments;

public class ReportCommandTests
{
    [Test]
    public void Report_runs_the_experiment_and_writes_markdown_and_html()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        var r = CliRunner.Run("report", cfg, "--results", dir.Sub("results"), "--out", dir.Sub("report"));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain("report: ").And.Contain("report.html").And.Contain("Theorem 3.1 (RECONSTRUCTED bound forms").And.Contain("Sanity checks"));
        string md = File.ReadAllText(Path.Combine(dir.Sub("report"), "report.md"));
        string html = File.ReadAllText(Path.Combine(dir.Sub("report"), "report.html"));
        Assert.That(md, Does.Contain("## Summary").And.Contain("### The theorems' claims").And.Contain("RECONSTRUCTED").And.Contain("HEURISTIC"));
        // The command prints the report's own headline, line for line.
        string first = md.Split('\n').First(l => l.StartsWith("- Theorem 3.1 (RECONSTRUCTED"))[2..];
        Assert.That(r.Out, Does.Contain(first.Replace("\\", "")));
        Assert.That(html, Does.Contain("<svg").And.Not.Contain("<script"));
        Assert.That(html, Does.Contain("test &lt;b&gt;grid&lt;/b&gt;"), "the description is escaped");
        Assert.That(File.Exists(Path.Combine(dir.Sub("report"), "results.csv")));
        Assert.That(File.ReadAllLines(Path.Combine(dir.Sub("report"), "results.csv")), Has.Length.EqualTo(1 + 8));

        // A second report reuses every run.
        var again = CliRunner.Run("report", cfg, "--results", dir.Sub("results"), "--out", dir.Sub("report"), "--no-run");
        Assert.That(again.ExitCode, Is.EqualTo(0), again.Err);
    }

    [Test]
    [Category(Categories.Slow)]
    public void Report_without_arguments_runs_the_built_in_smoke_experiment()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("report", "--set", "seeds=1", "--set", "grid.d=100,10000", "--results", dir.Sub("results"), "--out", dir.Sub("report"));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(File.ReadAllText(Path.Combine(dir.Sub("report"), "report.md")), Does.Contain("smoke"));
    }

    [Test]
    public void No_run_without_results_is_a_named_error()
    {
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        var r = CliRunner.Run("report", cfg, "--results", dir.Sub("empty"), "--no-run");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("no results"));
    }
}
