using System.Text.RegularExpressions;
using Verify.Simulation.Settings;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Verify.Verification.Experiments;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Experiments;

/// <summary>
/// The document's shape, read before its values: runs counted from the grids' lengths (never by expanding them),
/// nulls and wrong kinds named, nesting past 64 levels named. Work is proved bounded by counting, not by timing.
/// </summary>
public class ExperimentDocumentTests
{
    private static string Error(Action load) => Assert.Throws<InvalidInputException>(() => load())!.Message;

    private static ExperimentConfig Load(TempDir dir, string json, long maxRuns, params string[] sets)
        => ExperimentLoader.Load(dir.File("e.json", json), sets, maxRuns);

    /// <summary>A grid of 5 million listed values (about 15 MB, as in the issue): refused by its count, with no value parsed.</summary>
    internal static string FiveMillionValueGrid()
    {
        var sb = new StringBuilder(15_100_000).Append("""{ "name": "big", "fixed": { "iterations": 3 }, "grid": { "d": [""");
        for (int i = 0; i < 5_000_000; i++) sb.Append(i == 0 ? "" : ",").Append(10 + i % 90);
        return sb.Append("] } }").ToString();
    }

    [Test, CancelAfter(60_000)]
    public void A_five_million_value_grid_is_refused_by_counting_before_any_value_is_read()
    {
        using var dir = new TempDir();
        string path = dir.File("big.json", FiveMillionValueGrid());
        Assert.That(new FileInfo(path).Length, Is.InRange(14_000_000, 16 * 1024 * 1024));

        // Expanding it built every value as a configuration key and a parsed number: gigabytes (3 GB resident before).
        // Counting allocates the file once and a reader: the allocations prove that nothing was expanded.
        long before = GC.GetAllocatedBytesForCurrentThread();
        string message = Error(() => ExperimentLoader.Load(path, [], ExperimentPlan.DefaultMaxRuns));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(message, Does.Contain("plans 5000000 runs (5000000 cells × 1 seeds").And.Contain("above the limit of 100000"));
        Assert.That(allocated, Is.LessThan(64L << 20), $"{allocated >> 20} MB allocated: the values were built");

        // Raising --max-runs meets the limit per axis, still by counting.
        before = GC.GetAllocatedBytesForCurrentThread();
        message = Error(() => ExperimentLoader.Load(path, [], 10_000_000));
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(message, Does.Contain("grid.d in").And.Contain("has 5000000 values, above the limit of 10000 per axis"));
        Assert.That(allocated, Is.LessThan(64L << 20), $"{allocated >> 20} MB allocated");
    }

    [Test]
    public void A_comma_separated_axis_is_counted_without_splitting_it()
    {
        using var dir = new TempDir();
        string values = string.Join(",", Enumerable.Range(1, 200_000));
        string path = dir.File("e.json", $$"""{ "grid": { "d": "{{values}}, ,," } }""");
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(Error(() => ExperimentLoader.Load(path, [], 1000)), Does.Contain("plans 200000 runs"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(16L << 20), "200 000 strings were built");
    }

    [Test]
    public void Ranges_count_their_points_and_products_cannot_overflow()
    {
        using var dir = new TempDir();
        Assert.That(Error(() => Load(dir, """{ "grid": { "d": { "from": 10, "to": 1e6, "count": 10000 }, "mu": { "from": 1, "to": 10, "count": 10000 } } }""", 100_000)),
            Does.Contain("plans 100000000 runs (100000000 cells × 1 seeds"));
        // 20 axes of 10 000 points: 10⁸⁰ cells, far past long and double's exact range.
        string[] axes = ["n", "nTest", "d", "mu", "alpha", "beta", "sigma", "m", "gamma", "smoothness", "iterations", "learningRate",
            "learningRateFactor", "initScale", "pgdSteps", "pgdStepSize", "pgdRestarts", "pgdStopTolerance", "evalPgdSteps", "evalPgdStepSize"];
        string grid = string.Join(", ", axes.Select(a => $$"""  "{{a}}": { "from": 1, "to": 2, "count": 10000 }"""));
        Assert.That(Error(() => Load(dir, $$"""{ "seeds": 7, "grid": { {{grid}} } }""", long.MaxValue)),
            Does.Contain("plans about 10^80 runs (about 10^80 cells × 7 seeds"));
    }

    [Test]
    public void Overrides_are_counted_as_the_loader_applies_them()
    {
        using var dir = new TempDir();
        string json = """{ "fixed": { "n": 10, "m": 20, "nTest": 10 }, "grid": { "d": { "from": 30, "to": 3000, "count": 400 }, "mu": { "from": 1, "to": 10, "count": 400 } } }""";
        Assert.That(Error(() => Load(dir, json, 100_000)), Does.Contain("plans 160000 runs"));
        Assert.That(Load(dir, json, 100_000, "grid.mu=1,2").Grids[0][Keys.Mu], Has.Count.EqualTo(2), "grid.mu replaced: 800 cells");
        Assert.That(Load(dir, json, 100_000, "mu=3").Grids[0].Has(Keys.Mu), Is.False, "a fixed mu removes the axis: 400 cells");
        Assert.That(Error(() => Load(dir, json, 100_000, "mu=3", "seeds=251")), Does.Contain("plans 100400 runs (400 cells × 251 seeds"));
        Assert.That(Error(() => Load(dir, json, 1_000_000_000, "mu=3", $"grid.d={string.Join(',', Enumerable.Range(30, 10_001))}")),
            Does.Contain("--set grid.d in").And.Contain("has 10001 values, above the limit of 10000 per axis"));
    }

    [Test]
    public void A_boundary_search_counts_its_curves_not_the_grids_d()
    {
        // The same document is a grid over d for `report` (refused: 200 000 runs) and 20 curves for `boundary`.
        using var dir = new TempDir();
        string path = dir.File("e.json", """{ "fixed": { "n": 10, "m": 20 }, "grid": { "d": { "from": 30, "to": 1e6, "count": 10000 }, "mu": { "from": 1, "to": 20, "count": 20 } }, "boundary": {} }""");
        Assert.That(Error(() => ExperimentLoader.Load(path, [], 100_000)), Does.Contain("plans 200000 runs"));
        Assert.That(ExperimentLoader.Load(path, [], 100_000, searchesD: true).Grids[0][Keys.Mu], Has.Count.EqualTo(20));
        Assert.That(Error(() => ExperimentLoader.Load(path, ["seeds=6000"], 100_000, searchesD: true)),
            Does.Contain("plans at least 120000 runs (20 curves × 6000 seeds, each at one d or more"));
    }

    /// <summary>An axis of the property below: its values, listed or as a range of integers (whose rounding keeps them distinct).</summary>
    private sealed record GenAxis(string Name, int Count, bool Listed)
    {
        public JsonNode Node() => Listed
            ? new JsonArray(Enumerable.Range(0, Count).Select(i => (JsonNode?)JsonValue.Create(Name == "mu" ? 1 + i * 0.5 : 30 + i)).ToArray())
            : new JsonObject { ["from"] = Name == "mu" ? 1 : 30, ["to"] = Name == "mu" ? 1 + (Count - 1) * 0.5 : 30 + Count - 1, ["count"] = Count, ["scale"] = "linear" };
    }

    [Test]
    public void The_count_from_the_shape_is_the_count_of_the_loaded_plan()
    {
        var axis = Gen.Select(Gen.Int[0, 2], Gen.Int[1, 40], Gen.Bool).Select((k, count, listed) => new GenAxis(new[] { "d", "mu", "iterations" }[k], count, listed));
        var grid = axis.Array[1, 3].Select(a => a.DistinctBy(x => x.Name).ToArray());
        Gen.Select(grid.Array[1, 3], Gen.Int[1, 4], Gen.Int[1, 20_000]).ForAll((grids, seeds, max) =>
        {
            using var dir = new TempDir();
            var doc = new JsonObject
            {
                ["seeds"] = seeds,
                ["fixed"] = new JsonObject { ["n"] = 10, ["m"] = 20, ["nTest"] = 10 },
                ["grids"] = new JsonArray(grids.Select(g => (JsonNode?)new JsonObject(g.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)a.Node())))).ToArray()),
            };
            long expected = grids.Sum(g => g.Aggregate(1L, (n, a) => n * a.Count)) * seeds;
            if (expected > max)
                Assert.That(Error(() => Load(dir, doc.ToJsonString(), max)), Does.Contain($"plans {expected} runs"));
            else
            {
                var config = Load(dir, doc.ToJsonString(), max);
                Assert.That(ExperimentPlan.CountCells(config) * config.Seeds, Is.EqualTo((System.Numerics.BigInteger)expected), "the loader's count");
            }
        }, iter: 60, threads: 1);
    }

    // The contract of a refused key: the key's path, the value found (null, or its kind) and what is allowed (the range
    // or the kind), never the sentence around them.
    [TestCase("""{ "seeds": null }""", "seeds", "null", "[1, 100000]")]
    [TestCase("""{ "seeds": {} }""", "seeds", "empty object", "a number")]
    [TestCase("""{ "seeds": [] }""", "seeds", "empty list", "a number")]
    [TestCase("""{ "C": { "a": 1 } }""", "C", "object", "a number")]
    [TestCase("""{ "masterSeed": null }""", "masterSeed", "null", null)]
    [TestCase("""{ "epsilon": null }""", "epsilon", "null", "(0, 0.5)")]
    [TestCase("""{ "name": null }""", "name", "null", null)]
    [TestCase("""{ "boundary": null }""", "boundary", "null", "{}")]
    [TestCase("""{ "boundary": { "dTo": null } }""", "boundary.dTo", "null", "[1, 1e15]")]
    [TestCase("""{ "boundary": { "metric": [] } }""", "boundary.metric", "empty list", "a text")]
    [TestCase("""{ "tolerances": null }""", "tolerances", "null", null)]
    [TestCase("""{ "tolerances": { "benign": null } }""", "tolerances.benign", "null", "(0, 0.5)")]
    [TestCase("""{ "fixed": null }""", "fixed", "null", null)]
    [TestCase("""{ "fixed": { "n": null } }""", "fixed.n", "null", "[1, 2147483647]")]
    [TestCase("""{ "fixed": { "n": {} } }""", "fixed.n", "empty object", "a single value")]
    [TestCase("""{ "grid": null }""", "grid", "null", null)]
    [TestCase("""{ "grids": null }""", "grids", "null", "a list")]
    [TestCase("""{ "grids": [ null ] }""", "grids.0", "null", "an object")]
    [TestCase("""{ "grid": { "d": null } }""", "grid.d", "null", null)]
    [TestCase("""{ "grid": { "d": [30, null] } }""", "grid.d.1", "null", "[1, 1e15]")]
    [TestCase("""{ "grid": { "d": [[30]] } }""", "grid.d.0", "list", "one value")]
    [TestCase("""{ "grid": { "d": { "from": 10, "to": 100, "count": null } } }""", "grid.d.count", "null", "[1, 10000]")]
    [TestCase("""{ "grids": [ { "d": { "from": null, "to": 100, "count": 3 } } ] }""", "grids.0.d.from", "null", "a number")]
    [TestCase("""[ 1 ]""", "config file", null, "one JSON object")]
    public void Nulls_and_wrong_kinds_name_the_key_and_what_is_allowed(string json, string key, string? value, string? allowed)
    {
        using var dir = new TempDir();
        string message = Error(() => Load(dir, json, long.MaxValue));
        Errors.Names(message, key, value, allowed);
        Assert.That(message, Does.Contain("e.json"), "names the file");
    }

    [TestCase("""{ "grid": { "d": [] } }""", "'d'")]
    [TestCase("""{ "grid": { "d": [30] }, "grids": [] }""", "'grid'", "'grids'")]
    public void An_empty_axis_or_both_grid_keys_are_named_with_the_file(string json, params string[] keys)
    {
        using var dir = new TempDir();
        string message = Error(() => Load(dir, json, long.MaxValue));
        foreach (var key in keys) Assert.That(message, Does.Contain(key));
        Assert.That(message, Does.Contain("e.json"), "names the file");
    }

    [Test]
    public void A_byte_order_mark_is_read_as_before()
    {
        using var dir = new TempDir();
        string path = dir.Sub("bom.json");
        File.WriteAllText(path, """{ "seeds": 2, "grid": { "d": [30, 40] } }""", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.That(File.ReadAllBytes(path)[0], Is.EqualTo(0xEF));
        Assert.That(ExperimentPlan.CountCells(ExperimentLoader.Load(path, [], 4)), Is.EqualTo((System.Numerics.BigInteger)2));
        string train = dir.Sub("train.json");
        File.WriteAllText(train, """{ "n": 20, "beta": "0.1" }""", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.That(SettingsFile.Leaves(train), Is.EqualTo(new[] { KeyValuePair.Create("n", "20"), KeyValuePair.Create("beta", "0.1") }), "train --config too");
    }

    [Test]
    public void Absent_keys_keep_their_defaults_and_empty_objects_are_objects()
    {
        using var dir = new TempDir();
        var c = Load(dir, """{ "fixed": {}, "grid": {}, "tolerances": {}, "boundary": {} }""", long.MaxValue);
        Assert.That((c.Seeds, c.Epsilon, c.Grids.Count, c.Fixed.Count), Is.EqualTo((1, 0.05, 1, 0)));
        Assert.That(c.Boundary, Is.Not.Null, "boundary {} searches with every default");
        Assert.That(Load(dir, "{}", long.MaxValue).Boundary, Is.Null);
    }

    [Test]
    public void Null_messages_state_the_range_the_value_check_states()
    {
        // The same "must be …" whether the value is null or out of range.
        using var dir = new TempDir();
        foreach (var (key, bad) in new[] { ("seeds", "0"), ("C", "-1"), ("delta", "2"), ("epsilon", "0.7") })
        {
            string ofNull = Error(() => Load(dir, $$"""{ "{{key}}": null }""", long.MaxValue));
            string ofValue = Error(() => Load(dir, $$"""{ "{{key}}": {{bad}} }""", long.MaxValue));
            string allowed = ofValue[(ofValue.IndexOf("must be", StringComparison.Ordinal))..];
            Assert.That(ofNull, Does.Contain(allowed), key);
        }
    }

    private static string Nested(int levels, string key = "notes") => $$"""{ "{{key}}": {{new string('[', levels - 1)}}{{new string(']', levels - 1)}} }""";

    [Test]
    public void Nesting_past_64_levels_is_named_with_the_file()
    {
        using var dir = new TempDir();
        // The file, the limit (64) and the key under which it was passed, in that order.
        const string Deeper = @"\bnested\b.*\b64\b";
        Assert.That(Error(() => Load(dir, Nested(65), long.MaxValue)), Does.Match(@"e\.json'.*" + Deeper + ".*'notes'"));
        Assert.That(Error(() => Load(dir, Nested(65, "grid"), long.MaxValue)), Does.Match(Deeper + ".*'grid'"));
        Errors.Names(Error(() => Load(dir, Nested(64), long.MaxValue)), "notes", "list", "a text"); // 64 levels are JSON the reader takes: the key's kind is the error
        // Much deeper than any reader's limit: still the same line, found at level 65.
        Assert.That(Error(() => Load(dir, Nested(100_000), long.MaxValue)), Does.Match(Deeper));
        Assert.That(Error(() => SettingsFile.Leaves(dir.File("train.json", Nested(65, "n")))), Does.Match(Deeper), "train --config too");
    }

    [Test]
    public void A_baselines_stored_configuration_is_read_through_the_same_shape()
    {
        const string where = "the configuration stored in baseline 'b.json'";
        string message = Error(() => ExperimentLoader.LoadText("""{ "seeds": null }""", where));
        Errors.Names(message, "seeds", "null", "[1, 100000]");
        Assert.That(message, Does.Contain(where), "where the value came from, as given");
        Assert.That(Error(() => ExperimentLoader.LoadText("{ bad", "baseline 'b.json'")), Does.StartWith("baseline 'b.json'").And.Contain("JSON"));
    }

    [TestCase("""{ "seeds": 2, "Seeds": 3 }""", "'Seeds'")]
    [TestCase("""{ "fixed": { "n": 10, "n": 20 } }""", "'fixed.n'")]
    [TestCase("""{ "boundary": { "dTo": 1e6, "dTo": 1e7 } }""", "'boundary.dTo'")]
    [TestCase("""{ "grid": { "d": [30], "d": [40] } }""", "'d'")]
    [TestCase("""{ "grid": { "d": { "from": 10, "to": 100, "count": 3, "count": 4 } } }""", "'grid.d.count'")]
    public void A_key_given_twice_is_named_not_resolved_by_order(string json, string key)
    {
        // Which of the two values was meant is unknown: neither the first nor the last is taken silently.
        using var dir = new TempDir();
        Assert.That(Error(() => Load(dir, json, long.MaxValue)), Does.Match(Regex.Escape(key) + @".*\btwice\b").And.Contain("e.json"), "the key, that it is repeated, and the file");
    }

    [Test]
    public void A_grid_is_a_list_of_typed_axes_in_the_order_cells_are_expanded_in()
    {
        using var dir = new TempDir();
        var grid = Load(dir, """{ "grid": { "mu": [1, 2.5], "d": "30, 40", "alphaOverMu": { "from": 0, "to": 1, "count": 3, "scale": "linear" } } }""", long.MaxValue).Grids.Single();
        Assert.That(grid.Axes.Select(a => a.Setting), Is.EqualTo(new Setting[] { Keys.AlphaOverMu, Keys.D, Keys.Mu }), "ordinal order of the names");
        Assert.That(grid[Keys.D], Is.EqualTo(new object[] { 30, 40 }), "a text of values: typed by the setting");
        Assert.That(grid[Keys.AlphaOverMu], Is.EqualTo(new object[] { 0.0, 0.5, 1.0 }), "a linear range");
        Assert.That(grid.Without(Keys.D).Axes.Select(a => a.Setting), Is.EqualTo(new Setting[] { Keys.AlphaOverMu, Keys.Mu }));
    }

    [Test]
    public void An_axis_past_the_limit_that_an_override_replaces_or_removes_is_never_built()
    {
        using var dir = new TempDir();
        string values = string.Join(",", Enumerable.Range(30, 20_000));
        string json = $$"""{ "fixed": { "n": 10, "m": 20 }, "grid": { "d": [{{values}}], "mu": [1] } }""";
        Assert.That(Error(() => Load(dir, json, long.MaxValue)), Does.Contain("has 20000 values, above the limit of 10000 per axis"));
        Assert.That(Load(dir, json, long.MaxValue, "grid.d=30,40").Grids[0][Keys.D], Is.EqualTo(new object[] { 30, 40 }));
        Assert.That(Load(dir, json, long.MaxValue, "d=50").Grids[0].Has(Keys.D), Is.False, "a fixed d removes the axis");
    }

    [TestCase("""{ "n": 10, "n": 20 }""", "setting 'n' appears twice")]
    [TestCase("""{ "n": null }""", "setting 'n' in config file")]
    [TestCase("""{ "n": [10] }""", "setting 'n' in config file")]
    [TestCase("""[ { "n": 10 } ]""", "must hold one JSON object of settings")]
    public void A_train_config_is_a_flat_object_of_single_values(string json, string says)
    {
        using var dir = new TempDir();
        Assert.That(Error(() => SettingsFile.Leaves(dir.File("t.json", json))), Does.Contain(says));
    }
}
