using Verify.Simulation.Settings;
using System.Text.Json.Nodes;
using CsCheck;
using Verify.Verification.Settings;
using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Hardening;

/// <summary>
/// Property-based bad inputs: generated option values, experiment documents and edited baselines. Whatever
/// the input, verify answers with 0, 1, 2 or 3, bad input gets one "error:" line, nothing reaches the
/// internal-error exit (70), and nothing is written outside the case's temporary folder. Generated runs
/// are kept tiny, so the suite stays well under a minute.
/// </summary>
public class GeneratedBadInputTests
{
    private static readonly string[] Nasty =
    [
        "", " ", "0", "-0", "-1", "1", "2", "0.5", "1e3", "1e308", "-1e308", "1e-320", "NaN", "Infinity", "-Infinity",
        "2147483647", "2147483648", "9223372036854775808", "18446744073709551616", "abc", "1,5", "0x10", "true", "false",
        "f32", "naive", "subspace", "rotation-invariant", "auto", "mnist", "gaussian", "random", "../../etc", "/proc", "é", new string('x', 300),
    ];

    /// <summary>Settings whose large valid values mean long work: generated only from values that are invalid or small.</summary>
    private static readonly HashSet<string> Work = ["iterations", "pgdSteps", "pgdRestarts", "evalPgdSteps", "evalPgdRestarts", "n", "nTest", "m", "d", "resolution"];
    private static readonly string[] WorkValues = ["", "-1", "0", "1", "2", "abc", "1.5", "NaN", "1e-3", "2147483648", "1e308"];

    /// <summary>VERIFY_FUZZ_SCALE=10 runs ten times as many cases (a longer local search; CI runs the default).</summary>
    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("VERIFY_FUZZ_SCALE"), out int k) && k > 0 ? k : 1;

    /// <summary>One of the given values, uniformly.</summary>
    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    /// <summary>Tallies over the whole suite, printed for the record.</summary>
    private static int _tried, _clear;

    private static void Check(string[] args, TempDir dir)
    {
        _tried++;
        var r = HardeningTests.RunChecked(args, dir.Path);
        if (r.ExitCode == 2) _clear++;
        Assert.That(r.ExitCode, Is.AnyOf(0, 1, 2, 3), string.Join(' ', args) + "\n" + r.Err);
    }

    [OneTimeTearDown]
    public void Report() => TestContext.Progress.WriteLine($"generated bad inputs: {_tried} tried, {_clear} clear errors (exit 2), 0 internal errors, 0 files outside");

    private static Gen<(string Name, string Value)> SettingOption(IReadOnlyList<Setting> keys) =>
        Gen.Int[0, keys.Count - 1].SelectMany(i => Pick(Work.Contains(keys[i].Name) ? WorkValues : Nasty).Select(v => (keys[i].OptionName, v)));

    [Test]
    public void Generated_train_options()
    {
        var keys = Keys.All.Where(k => k != Keys.MnistDir).ToList();
        Gen.Select(SettingOption(keys), SettingOption(keys)).ForAll((a, b) =>
        {
            using var dir = new TempDir();
            List<string> args = ["train", .. BadInputCorpus.Tiny, "--out", "{dir}/out.json"];
            foreach (var (name, value) in new[] { a, b })
            {
                int at = args.IndexOf(name);
                if (at >= 0) args.RemoveRange(at, 2);
                args.AddRange([name, value]);
            }
            Check(args.ToArray(), dir);
        }, iter: 120 * Scale, threads: 1);
    }

    [Test]
    public void Generated_check_and_bench_options()
    {
        string[] check = ["--n", "--d", "--m", "--mu", "--alpha", "--beta", "--delta", "--c", "--epsilon"];
        string[] bench = ["--n", "--d", "--m", "--mu", "--alpha", "--learning-rate", "--precision", "--repeats", "--python", "--baseline"];
        Gen.Select(Gen.Int[0, 1], Gen.Int[0, 9], Pick(Nasty)).ForAll((which, option, value) =>
        {
            using var dir = new TempDir();
            if (which == 0) Check(["check", check[option % check.Length], value], dir);
            else
            {
                string name = bench[option % bench.Length];
                // The tiny bench, without a baseline interpreter, so an accepted value only times Verify.
                var args = new List<string> { "bench", "--n", "10", "--d", "20", "--m", "10", "--iterations", "1", "--pgd-steps", "1", "--repeats", "1", "--python", "/nonexistent-python" };
                int at = args.IndexOf(name);
                if (at >= 0) args.RemoveRange(at, 2);
                if (name != "--repeats" || WorkValues.Contains(value)) args.AddRange([name, value]);
                Check(args.ToArray(), dir);
            }
        }, iter: 80 * Scale, threads: 1);
    }

    /// <summary>A JSON value of any shape: the wrong type for most keys.</summary>
    private static readonly Gen<JsonNode?> Value = Gen.Int[0, 7].SelectMany(kind => kind switch
    {
        0 => Gen.Const((JsonNode?)null),
        1 => Pick(Nasty).Select(s => (JsonNode?)JsonValue.Create(s)),
        2 => Gen.Int[-5, 5].Select(i => (JsonNode?)JsonValue.Create(i)),
        3 => Pick(0.1, 1e308, -1.5, 1e-300).Select(d => (JsonNode?)JsonValue.Create(d)),
        4 => Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        5 => Gen.Int[1, 3].Select(n => (JsonNode?)new JsonArray(Enumerable.Range(0, n).Select(i => (JsonNode?)JsonValue.Create(i + 1)).ToArray())),
        6 => Pick("d", "mu", "alpha", "beta", "nope").Select(k => (JsonNode?)new JsonObject { [k] = new JsonArray(JsonValue.Create(1), JsonValue.Create(2)) }),
        _ => Gen.Const((JsonNode?)new JsonObject { ["from"] = 1, ["to"] = 1e9, ["count"] = 5000 }),
    });

    [Test]
    public void Generated_experiment_documents()
    {
        string[] keys = ["name", "description", "notes", "scale", "masterSeed", "seeds", "C", "delta", "epsilon", "tolerances", "fixed", "grid", "grids", "bogus"];
        Gen.Select(Pick(keys), Value, Pick(keys), Value).ForAll((k1, v1, k2, v2) =>
        {
            using var dir = new TempDir();
            var doc = JsonNode.Parse(TinyExperiment.Json)!.AsObject();
            doc[k1] = v1?.DeepClone();
            doc[k2] = v2?.DeepClone();
            dir.File("e.json", doc.ToJsonString());
            // Whatever the document says, the runs stay tiny and few.
            Check(["run", "{dir}/e.json", "--results", "{dir}/results", "--max-runs", "16", "--set", "iterations=2", "--set", "nTest=10",
                "--set", "pgdSteps=1", "--set", "evalPgdSteps=1", "--set", "evalPgdRestarts=1"], dir);
        }, iter: 100 * Scale, threads: 1);
    }

    [Test]
    public void Generated_baseline_files()
    {
        using var made = new TempDir();
        string cfg = made.File("tiny.json", TinyExperiment.Json);
        string baseline = made.Sub("baseline.json");
        Assert.That(CliRunner.Run("baseline", cfg, "--results", made.Sub("r"), "--out", baseline, "--set", "grid.d=30", "--set", "seeds=1").ExitCode, Is.EqualTo(0));
        string original = File.ReadAllText(baseline);
        string[] fields = ["schema", "name", "configAsRun", "tolerances", "runs", "runs.0.id", "runs.0.settings", "runs.0.settings.d", "runs.0.settings.seed", "runs.0.metrics", "runs.0.metrics.cleanTest", "runs.1"];
        // An absolute path outside, unique to this run, so that no other process can make it exist.
        string absoluteOutside = Path.Combine(Path.GetTempPath(), $"verify-outside-{Guid.NewGuid():N}");
        var paths = Pick("../../outside/x", absoluteOutside, "0123456789abcdef", "runs/../../y").Select(s => (JsonNode?)JsonValue.Create(s));
        Gen.Select(Pick(fields), Gen.Frequency((3, Value), (1, paths))).ForAll((field, value) =>
        {
            using var dir = new TempDir();
            var doc = JsonNode.Parse(original)!;
            JsonNode parent = doc;
            var parts = field.Split('.');
            foreach (var p in parts[..^1]) parent = int.TryParse(p, out int i) ? parent[i]! : parent[p]!;
            if (int.TryParse(parts[^1], out int index)) parent.AsArray()[index] = value?.DeepClone();
            else parent[parts[^1]] = value?.DeepClone();
            Check(["regress", dir.File("b.json", doc.ToJsonString())], dir);
            Assert.That(File.Exists(absoluteOutside + ".json") || File.Exists(absoluteOutside) || Directory.Exists(Path.Combine(dir.Path, "..", "outside")), Is.False, "no write outside");
        }, iter: 60 * Scale, threads: 1);
    }
}
