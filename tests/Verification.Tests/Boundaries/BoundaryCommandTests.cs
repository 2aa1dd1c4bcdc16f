using System.Text.Json.Nodes;

namespace Verify.Verification.Tests.Boundaries;

/// <summary>`verify boundary` end to end at a tiny scale: against the grid fit, resumed, sharded, and refusing what it cannot do.</summary>
public class BoundaryCommandTests
{
    /// <summary>Clean error (α = 0) at two M, four seeds; the grid covers the same d range at half-decade steps.</summary>
    private const string Config = """
    {
      "name": "tiny-boundary",
      "masterSeed": 11,
      "seeds": 4,
      "fixed": { "n": 20, "nTest": 400, "m": 20, "iterations": 40, "pgdSteps": 2, "evalPgdSteps": 3, "evalPgdRestarts": 1, "beta": 0.1, "alphaOverMu": 0, "recordEvery": 10 },
      "grid": { "d": { "from": 30, "to": 300000, "count": 9, "scale": "log" }, "mu": [3, 6] },
      "boundary": { "dFrom": 30, "dTo": 300000, "tolerance": 0.15 }
    }
    """;

    private static JsonNode Read(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    [Test]
    [Category(Categories.Slow)]
    public void The_search_agrees_with_the_grid_fit_and_reuses_its_runs()
    {
        using var dir = new TempDir();
        string cfg = dir.File("e.json", Config), results = dir.Sub("results"), reports = dir.Sub("reports");
        var grid = CliRunner.Run("report", cfg, "--results", results, "--out", reports, "--jobs", "2");
        Assert.That(grid.ExitCode, Is.EqualTo(0), grid.Err);
        var search = CliRunner.Run("boundary", cfg, "--results", results, "--out", reports, "--jobs", "2");
        Assert.That(search.ExitCode, Is.EqualTo(0), search.Err);
        // The first round measures the range's ends, which the grid has already run: 2 curves × 2 ends × 4 seeds.
        Assert.That(search.Err, Does.Contain("round 1: 2 curve(s) searching, 4 value(s) of d, 16 runs"));
        Assert.That(search.Err, Does.Contain("all runs already done"));

        var fits = Read(Path.Combine(reports, "results.json"))["findings"]!["fits"]!.AsArray().Single(f => (string)f!["metric"]! == "clean")!["points"]!.AsArray();
        var curves = Read(Path.Combine(reports, "boundary.json"))["curves"]!.AsArray();
        Assert.That(fits, Has.Count.EqualTo(2), "the grid locates both crossings");
        foreach (var point in fits)
        {
            double mu = (double)point!["mu"]!, gridD = (double)point["d"]!;
            var curve = curves.Single(c => (double)c!["curve"]!["parameters"]!["mu"]! == mu)!;
            Assert.That((string)curve["status"]!, Is.EqualTo("found").Or.EqualTo("resolved"));
            double lo = (double)curve["crossingLow"]!, hi = (double)curve["crossingHigh"]!, est = (double)curve["estimate"]!;
            // The grid interpolates between points half a decade apart, the search within its bracket: the grid's
            // crossing lies in the bracket widened by one grid step, and the two estimates within one grid step.
            Assert.That(Math.Log10(gridD), Is.InRange(Math.Log10(lo) - 0.5, Math.Log10(hi) + 0.5), $"M = {mu}");
            Assert.That(Math.Abs(Math.Log10(est) - Math.Log10(gridD)), Is.LessThan(0.5), $"M = {mu}: search {est}, grid {gridD}");
        }
        Assert.That(File.Exists(Path.Combine(reports, "boundary.md")) && File.Exists(Path.Combine(reports, "boundary.html")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(reports, "boundary.md")), Does.Contain("## Slopes").And.Contain("HEURISTIC")
            .And.Contain("no interval: 2 points in 1 family leave 0 degrees of freedom for the scatter, 3 needed"), "two M: a slope, never an interval");
    }

    [Test]
    [Category(Categories.Slow)]
    public void A_rerun_replays_from_the_store_and_shards_add_up_to_the_whole()
    {
        using var dir = new TempDir();
        string cfg = dir.File("e.json", Config);
        string whole = dir.Sub("whole"), sharded = dir.Sub("sharded");
        Assert.That(CliRunner.Run("boundary", cfg, "--results", whole, "--out", dir.Sub("r1")).ExitCode, Is.EqualTo(0));
        int files = Directory.GetFiles(Path.Combine(whole, "runs")).Length;
        var again = CliRunner.Run("boundary", cfg, "--results", whole, "--out", dir.Sub("r2"));
        Assert.That(again.ExitCode, Is.EqualTo(0), again.Err);
        Assert.That(Directory.GetFiles(Path.Combine(whole, "runs")), Has.Length.EqualTo(files), "nothing recomputed");
        Assert.That(again.Err, Does.Not.Contain("computed").And.Not.Contain("last:"));

        foreach (var shard in new[] { "1/2", "2/2" })
        {
            var r = CliRunner.Run("boundary", cfg, "--results", sharded, "--shard", shard);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
            Assert.That(r.Out, Does.Contain("1 curve(s) searched"));
        }
        Assert.That(Directory.Exists(dir.Sub("reports")), Is.False, "a shard writes no report");
        var merged = CliRunner.Run("boundary", cfg, "--results", sharded, "--out", dir.Sub("r3"));
        Assert.That(merged.Err, Does.Not.Contain("last:"), "the shards ran every run the whole search needs");
        string Estimates(string report) => string.Join(";", Read(Path.Combine(report, "boundary.json"))["curves"]!.AsArray().Select(c => c!["estimate"]!.ToJsonString()));
        Assert.That(Estimates(dir.Sub("r3")), Is.EqualTo(Estimates(dir.Sub("r1"))));
        Assert.That(Estimates(dir.Sub("r2")), Is.EqualTo(Estimates(dir.Sub("r1"))));
    }

    [TestCase("\"boundary\": { \"dFrom\": 30, \"colour\": 1 }", "boundary.colour")]
    [TestCase("\"boundary\": { \"metric\": \"loss\" }", "boundary.metric = 'loss'")]
    [TestCase("\"boundary\": { \"dFrom\": 1000, \"dTo\": 100 }", "boundary.dTo = 100")]
    [TestCase("\"boundary\": { \"dTo\": 1e16 }", "boundary.dTo = '1e16'")]
    [TestCase("\"boundary\": { \"tolerance\": 0 }", "boundary.tolerance = '0'")]
    [TestCase("\"boundary\": { \"start\": \"middle\" }", "boundary.start = 'middle'")]
    [TestCase("\"boundary\": [1, 2]", "boundary")]
    [TestCase("\"colour\": 1", "unknown key 'colour'")]
    public void Bad_boundary_sections_are_refused_naming_the_key(string section, string says)
    {
        using var dir = new TempDir();
        string cfg = dir.File("e.json", $$"""{ "name": "b", "grid": { "mu": [3] }, {{section}} }""");
        var r = CliRunner.Run("boundary", cfg, "--results", dir.Sub("results"));
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain(says));
        Assert.That(Directory.Exists(dir.Sub("results")), Is.False, "nothing written");
    }

    [TestCase("""{ "name": "b", "grid": { "mu": [3] } }""", "has no 'boundary' section")]
    [TestCase("""{ "name": "b", "fixed": { "d": 100 }, "grid": { "mu": [3] }, "boundary": {} }""", "d is fixed")]
    [TestCase("""{ "name": "b", "fixed": { "data": "mnist" }, "grid": { "alpha": [0] }, "boundary": {} }""", "needs data = gaussian")]
    [TestCase("""{ "name": "b", "fixed": { "n": 20, "m": 20, "mode": "rotation-invariant" }, "grid": { "mu": [3] }, "boundary": { "dFrom": 25 } }""", "used only when d > n + m/2 (here d = 25")]
    [TestCase("""{ "name": "b", "fixed": { "mode": "naive" }, "grid": { "mu": [3] }, "boundary": { "dTo": 1e12 } }""", "mode naive")]
    public void Experiments_the_search_cannot_vary_d_in_are_refused(string json, string says)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("boundary", dir.File("e.json", json), "--results", dir.Sub("results"));
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(says));
    }

    [Test]
    public void A_search_that_could_plan_too_many_runs_is_refused_before_it_starts()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("boundary", dir.File("e.json", Config), "--results", dir.Sub("results"), "--max-runs", "50");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("above the limit of 50"));
        Assert.That(Directory.Exists(dir.Sub("results")), Is.False);
    }
}
