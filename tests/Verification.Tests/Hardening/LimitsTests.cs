using Verify.Simulation.Settings;
using System.Text.Json.Nodes;
using CsCheck;
using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Hardening;

/// <summary>
/// Issue 22, "bounded work before limits are checked, and what documents mean": the inputs that ran for a minute
/// or forever before a limit refused them, and the documents whose nulls and empty objects silently meant
/// defaults. Each runs the CLI in-process in its own temporary folder, under <see cref="HardeningTests.RunChecked"/>.
/// </summary>
internal static class LimitsCorpus
{
    private static string[] Train(params string[] extra) => ["train", .. BadInputCorpus.Tiny.Where((_, i) => !extra.Contains(BadInputCorpus.Tiny[i - i % 2])), .. extra];

    private static BadInputCorpus.Case Config(string name, string json, string says, params string[] options) =>
        new(name, ["run", "{dir}/e.json", "--results", "{dir}/results", .. options], 2, says, new() { ["e.json"] = json });

    private static BadInputCorpus.Case Boundary(string name, string json, string says) =>
        new(name, ["boundary", "{dir}/e.json", "--results", "{dir}/results", "--out", "{dir}/report"], 2, says, new() { ["e.json"] = json });

    /// <summary>A bad value: exit 2, one error line naming <paramref name="names"/>'s field, value and what is allowed.</summary>
    private static BadInputCorpus.Case Refused(string name, string[] args, BadInputCorpus.Refusal names) => new(name, args, 2, Names: names);

    private static string Nested(int levels, string key) => $$"""{ "{{key}}": {{new string('[', levels - 1)}}{{new string(']', levels - 1)}} }""";

    private const string TinyFixed = """ "fixed": { "n": 10, "nTest": 40, "m": 20, "iterations": 3, "pgdSteps": 1, "evalPgdSteps": 1, "evalPgdRestarts": 1 } """;

    public static IEnumerable<BadInputCorpus.Case> Cases()
    {
        // Nulls and empty objects where a value belongs: named, never a silent default.
        yield return Config("seeds null", """{ "seeds": null }""", "seeds in '");
        yield return Config("seeds an empty object", """{ "seeds": {} }""", "must be a number, found an empty object");
        yield return Config("seeds an empty list", """{ "seeds": [] }""", "must be a number, found an empty list");
        yield return Config("C an empty object", """{ "C": {} }""", "C in '");
        yield return Config("epsilon null", """{ "epsilon": null }""", "epsilon in '");
        yield return Config("masterSeed null", """{ "masterSeed": null }""", "masterSeed in '");
        yield return Config("name null", """{ "name": null }""", "name in '");
        yield return Config("tolerances null", """{ "tolerances": null }""", "tolerances in '");
        yield return Config("tolerances.benign null", """{ "tolerances": { "benign": null } }""", "tolerances.benign in '");
        yield return Config("fixed null", """{ "fixed": null }""", "fixed in '");
        yield return Config("a fixed setting null", """{ "fixed": { "iterations": null } }""", "fixed.iterations in '");
        yield return Config("a fixed setting an empty object", """{ "fixed": { "iterations": {} } }""", "fixed.iterations in '");
        yield return Config("grid null", """{ "grid": null }""", "grid in '");
        yield return Config("grids null", """{ "grids": null }""", "grids in '");
        yield return Config("a grid in grids null", """{ "grids": [ null ] }""", "grids.0 in '");
        yield return Config("an axis null", """{ "grid": { "d": null } }""", "grid.d in '");
        yield return Config("an axis value null", """{ "grid": { "d": [30, null] } }""", "grid.d.1 in '");
        yield return Config("an axis value a list", """{ "grid": { "d": [[30, 40]] } }""", "grid.d.0 in '");
        yield return Config("an axis an empty list", """{ "grid": { "d": [] } }""", "grid axis 'd'");
        yield return Config("a range's count null", """{ "grid": { "d": { "from": 30, "to": 300, "count": null } } }""", "grid.d.count in '");
        yield return Boundary("boundary null", $$"""{ {{TinyFixed}}, "grid": { "mu": [3] }, "boundary": null }""", "boundary in '");
        yield return Boundary("boundary.dTo null", $$"""{ {{TinyFixed}}, "grid": { "mu": [3] }, "boundary": { "dTo": null } }""", "boundary.dTo in '");
        yield return Boundary("boundary.metric an empty object", $$"""{ {{TinyFixed}}, "grid": { "mu": [3] }, "boundary": { "metric": {} } }""", "boundary.metric in '");
        yield return Boundary("a boundary search of 10⁴ curves × 20 seeds", """{ "seeds": 20, "grid": { "mu": { "from": 1, "to": 100, "count": 10000 } }, "boundary": {} }""",
            "plans at least 200000 runs (10000 curves × 20 seeds, each at one d or more");
        // Nesting: named, with the file.
        yield return Config("notes nested 65 levels", Nested(65, "notes"), "is nested deeper than 64 levels (under 'notes')");
        yield return Config("a grid nested 65 levels", Nested(65, "grid"), "is nested deeper than 64 levels (under 'grid')");
        yield return Config("nested 10 000 levels", Nested(10_000, "fixed"), "is nested deeper than 64 levels");
        yield return new("train --config nested 65 levels", ["train", "--config", "{dir}/t.json"], 2, "nested deeper than 64 levels", new() { ["t.json"] = Nested(65, "n") });
        yield return Config("a list at the top", "[1, 2]", "must hold one JSON object");
        // Plans counted from the shape, before anything is expanded.
        yield return Config("10⁸ cells as two ranges", """{ "grid": { "d": { "from": 10, "to": 1e6, "count": 10000 }, "mu": { "from": 1, "to": 10, "count": 10000 } } }""",
            "plans 100000000 runs (100000000 cells × 1 seeds");
        yield return Config("seeds multiply the count", """{ "seeds": 100000, "grid": { "d": [30, 40] } }""", "plans 200000 runs (2 cells × 100000 seeds");
        yield return Config("an axis of 10 001 values", $$"""{ "grid": { "d": [{{string.Join(",", Enumerable.Range(30, 10_001))}}] } }""",
            "has 10001 values, above the limit of 10000 per axis", "--max-runs", "1000000");
        yield return Config("a range of 10 001 points", """{ "grid": { "d": { "from": 30, "to": 1e6, "count": 10001 } } }""", "grid.d.count = '10001'");
        yield return Config("1001 grids", $$"""{ "grids": [{{string.Join(",", Enumerable.Repeat("{}", 1001))}}] }""", "more than 1000 grids");
        yield return Config("an object of 101 keys", $$"""{ "fixed": { {{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"k{i}\": 1"))}} } }""", "more than 100 keys");
        yield return new("--set seeds raises the count", ["run", "{dir}/e.json", "--results", "{dir}/results", "--set", "seeds=100000"], 2, "plans 400000 runs (4 cells × 100000 seeds",
            new() { ["e.json"] = TinyExperiment.Json });
        yield return new("--set a grid axis of 10 001 values", ["run", "{dir}/e.json", "--results", "{dir}/results", "--max-runs", "1000000000",
            "--set", "grid.d=" + string.Join(",", Enumerable.Range(30, 10_001))], 2, "--set grid.d in", new() { ["e.json"] = TinyExperiment.Json });
        // Settings whose range allowed a run that cannot finish.
        yield return Refused("certify-steps 2^31 - 1 on a 3-iteration run", Train("--certify-steps", "2147483647"), new("certifySteps", "'2147483647'", "[0, 1000]"));
        yield return Refused("iterations 2^31 - 1", Train("--iterations", "2147483647"), new("iterations", "'2147483647'", "[0, 1000000]"));
        yield return Refused("pgd-steps 10⁶", Train("--pgd-steps", "1000000"), new("pgdSteps", "'1000000'"));
        yield return Refused("eval-pgd-steps 10⁶", Train("--eval-pgd-steps", "1000000"), new("evalPgdSteps", "'1000000'", "[0, 10000]"));
        yield return Refused("pgd-restarts 10⁴", Train("--pgd-restarts", "10000"), new("pgdRestarts", "'10000'", "[1, 100]"));
        yield return Refused("eval-pgd-restarts 10⁴", Train("--eval-pgd-restarts", "10000"), new("evalPgdRestarts", "'10000'", "[1, 100]"));
        yield return new("a product of ranges beyond the budget", Train("--iterations", "1000000", "--pgd-steps", "10000", "--pgd-restarts", "100"), 2, "above the budget of 1e16 per run");
        yield return new("the paper's run at d = 10⁷ in the naive mode", ["train", "--mode", "naive", "--d", "1e7"], 2, "d = 10000000 (R = 1e7 coordinates in mode naive)");
        yield return Config("an experiment cell beyond the budget",
            """{ "fixed": { "n": 10, "nTest": 40, "m": 20, "pgdSteps": 10000, "pgdRestarts": 100 }, "grid": { "iterations": [3, 1000000] } }""", "(cell iterations = 1000000");
        // check: ε is an excess error; β + ε is an error rate.
        yield return Refused("check --epsilon 1e15", ["check", "--epsilon", "1e15"], new("--epsilon", "1000000000000000", "(0, 0.9)"));
        yield return Refused("check --epsilon 0.9 at β = 0.1", ["check", "--epsilon", "0.9"], new("--epsilon", "0.9", "(0, 0.9)"));
        yield return Refused("check --epsilon 0.6 at β = 0.4", ["check", "--beta", "0.4", "--epsilon", "0.6"], new("--epsilon", "0.6", "(0, 0.6)"));
    }
}

public class LimitsTests
{
    public static IEnumerable<TestCaseData> Corpus() => LimitsCorpus.Cases().Select(c => new TestCaseData(c).SetName("Limits: " + c.Name));

    /// <summary>Tallies, printed for the record.</summary>
    private static int _tried, _clear;

    [OneTimeTearDown]
    public void Report() => TestContext.Progress.WriteLine($"limits bad inputs: {_tried} tried, {_clear} clear errors (exit 2), 0 internal errors, 0 files outside");

    private static CliRunner.Result Check(string[] args, TempDir dir)
    {
        _tried++;
        var r = HardeningTests.RunChecked(args, dir.Path);
        if (r.ExitCode == 2) _clear++;
        return r;
    }

    [TestCaseSource(nameof(Corpus)), CancelAfter(120_000)]
    public void Bad_input_gets_its_exit_code_and_one_clear_line(object data)
    {
        var c = (BadInputCorpus.Case)data;
        using var dir = new TempDir();
        foreach (var (name, content) in c.Files ?? []) dir.File(name, content);
        var r = Check(c.Args, dir);
        BadInputCorpus.AssertSays(c, r);
        Assert.That(Directory.Exists(dir.Sub("results")) || Directory.Exists(dir.Sub("report")), Is.False, "refused before anything was written");
    }

    [Test, CancelAfter(120_000)]
    public void The_five_million_value_grid_of_the_issue_is_refused_with_its_count()
    {
        using var dir = new TempDir();
        dir.File("big.json", ExperimentDocumentTests.FiveMillionValueGrid());
        // The count in the message is the shape's: the loader never built the 5 million values it would have had to parse.
        var r = Check(["run", "{dir}/big.json", "--results", "{dir}/results"], dir);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Match(@"\b5000000 runs \(5000000 cells × 1 seeds\b.*\b100000\b.*--max-runs"));
        r = Check(["status", "{dir}/big.json", "--results", "{dir}/results", "--max-runs", "6000000"], dir);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Match(@"\b5000000 values\b.*\b10000\b"));
        Assert.That(Directory.Exists(dir.Sub("results")), Is.False);
    }

    [Test]
    public void Boundary_says_that_a_grid_axis_d_is_for_the_grid_not_the_search()
    {
        using var dir = new TempDir();
        string json = """{ "name": "b", "fixed": { "n": 10 }, "grid": { "d": [30, 300, 3000], "mu": [3] }, "boundary": { "dFrom": 30, "dTo": 3000 } }""";
        var config = Verification.Experiments.ExperimentLoader.Load(dir.File("e.json", json));
        Assert.That(Verification.Boundaries.BoundaryRunner.GridDNote(config), Does.Match(@"^note: .*\bd \(3 value\(s\)\).*`verify report`.*\[boundary\.dFrom, boundary\.dTo\] = \[30, 3000\]$"));
        Assert.That(Verification.Boundaries.BoundaryRunner.GridDNote(config with { Grids = [new Verification.Experiments.Grid([new Verification.Experiments.GridAxis(Keys.Mu, [3.0])])] }), Is.Null);
        // Said before any run: --max-runs 1 stops the command right after it.
        var r = Check(["boundary", "{dir}/e.json", "--results", "{dir}/results", "--out", "{dir}/report", "--max-runs", "1"], dir);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Match(@"^note: .*\bd \(3 value\(s\)\)"));
        Assert.That(Directory.Exists(dir.Sub("results")), Is.False);
    }

    /// <summary>A key of the tiny experiment, or of a section it lacks, whose null the generator tries.</summary>
    private static readonly string[] NullPaths =
    [
        "name", "description", "notes", "scale", "masterSeed", "seeds", "C", "delta", "epsilon", "tolerances", "tolerances.benign", "fixed", "fixed.n",
        "fixed.iterations", "fixed.beta", "fixed.certifySteps", "grid", "grid.d", "grid.mu", "grid.d.0", "grid.mu.1", "grid.alphaOverMu.0", "boundary", "boundary.dTo", "boundary.metric",
    ];

    /// <summary>Every key of <see cref="NullPaths"/> as null, as an empty object and as an empty list.</summary>
    public static IEnumerable<TestCaseData> NullCases() =>
        NullPaths.SelectMany(path => new[] { "null", "{}", "[]" }.Select(kind => new TestCaseData(path, kind).SetName($"Limits: {path} = {kind}")));

    [TestCaseSource(nameof(NullCases)), CancelAfter(60_000)]
    public void Nulls_and_empty_containers_in_the_tiny_experiment_are_named(string path, string kind)
    {
        using var dir = new TempDir();
        var doc = JsonNode.Parse(TinyExperiment.Json)!.AsObject();
        var parts = path.Split('.');
        JsonNode parent = doc;
        foreach (var part in parts[..^1]) parent = (int.TryParse(part, out int i) ? parent[i] : parent[part] ??= new JsonObject())!;
        // null anywhere; an empty object or list where one value belongs (a section's {} keeps meaning "every default").
        bool section = path is "tolerances" or "fixed" or "grid" or "boundary";
        JsonNode? value = kind == "null" || section ? null : kind == "{}" ? new JsonObject() : new JsonArray();
        if (int.TryParse(parts[^1], out int index)) parent.AsArray()[index] = value;
        else parent[parts[^1]] = value;
        dir.File("e.json", doc.ToJsonString());
        var r = Check(["status", "{dir}/e.json", "--results", "{dir}/results"], dir);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(path + " in '").Or.Contain($"grid axis '{parts[^1]}'"));
        Assert.That(r.Err, Does.Contain(value is null ? "is null" : value is JsonObject ? "found an empty object" : "found an empty list").Or.Contain("has no values"));
    }

    [Test, CancelAfter(300_000)]
    public void Generated_grid_shapes_are_refused_exactly_above_max_runs()
    {
        // Axes of up to 3000 values, listed or as ranges, in one to three grids, with a random limit: refused exactly when
        // the product × seeds exceeds it, with that count; accepted (status plans it) otherwise.
        var axis = Gen.Select(Gen.Int[1, 3000], Gen.Bool).Select((count, listed) => listed
            ? (Count: count, Node: (JsonNode)new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode?)JsonValue.Create(30 + i)).ToArray()))
            : (Count: count, Node: new JsonObject { ["from"] = 30, ["to"] = 30 + count - 1, ["count"] = count, ["scale"] = "linear" }));
        var grid = Gen.Select(axis, Gen.Int[1, 3].SelectMany(n => Gen.Int[1, 5].Array[n])).Select((d, mus) => (d, mus));
        Gen.Select(grid.Array[1, 3], Gen.Int[1, 3], Gen.Int[1, 3000]).ForAll((grids, seeds, max) =>
        {
            using var dir = new TempDir();
            var doc = new JsonObject
            {
                ["seeds"] = seeds,
                ["fixed"] = new JsonObject { ["n"] = 10, ["nTest"] = 10, ["m"] = 20, ["iterations"] = 1 },
                ["grids"] = new JsonArray(grids.Select(g => (JsonNode?)new JsonObject
                {
                    ["d"] = g.d.Node.DeepClone(),
                    ["mu"] = new JsonArray(g.mus.Select((_, i) => (JsonNode?)JsonValue.Create(1.0 + i)).ToArray()),
                }).ToArray()),
            };
            long runs = grids.Sum(g => (long)g.d.Count * g.mus.Length) * seeds;
            dir.File("e.json", doc.ToJsonString());
            var r = Check(["status", "{dir}/e.json", "--results", "{dir}/results", "--max-runs", max.ToString()], dir);
            if (runs > max)
            {
                Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
                Assert.That(r.Err, Does.Contain($"plans {runs} runs"));
            }
            else Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        }, iter: 40, threads: 1);
    }
}
