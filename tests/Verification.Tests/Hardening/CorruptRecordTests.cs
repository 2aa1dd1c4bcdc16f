using System.Diagnostics;
using System.Text.Json.Nodes;
using CsCheck;
using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Hardening;

/// <summary>
/// Issue 22, "results that lie": a run file that parses but says something impossible (20 errors of 10, a rate of 2,
/// "NaN", metrics missing without a divergence, a field null or missing) is never trusted. `run` recomputes it (a
/// warning naming the file and the field) into the record a fresh run writes; `report --no-run` leaves it out with such
/// a warning; `merge` and `baseline` refuse it (exit 2, one error line naming the file and the field, nothing written).
/// The corruptions are edits of real run files of a tiny experiment: fixed ones (the issue's) and generated ones.
/// </summary>
public class CorruptRecordTests
{
    /// <summary>Two runs (||μ|| = 1 and 4 at d = 30), one seed, one job (so the BLAS threads recorded are the same every time).</summary>
    private static readonly string[] Small = ["--set", "grid.d=30", "--set", "seeds=1", "--jobs", "1"];

    private static readonly int Scale = int.TryParse(Environment.GetEnvironmentVariable("VERIFY_FUZZ_SCALE"), out int k) && k > 0 ? k : 1;

    private TempDir _made = null!;
    private string _cfg = null!;
    private string _pristine = null!;
    private string[] _names = null!;

    /// <summary>Tallies over the suite, printed for the record: every case is a bad input (a run file that lies).</summary>
    private static int _cases, _commands, _clear, _warned;

    [OneTimeSetUp]
    public void MakeRuns()
    {
        _made = new TempDir();
        _cfg = _made.File("tiny.json", TinyExperiment.Json);
        _pristine = _made.Sub("pristine");
        var r = CliRunner.Run(["run", _cfg, "--results", _pristine, .. Small]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        _names = Directory.GetFiles(Path.Combine(_pristine, "runs"), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.That(_names, Has.Length.EqualTo(2));
    }

    [OneTimeTearDown]
    public void Report()
    {
        _made.Dispose();
        TestContext.Progress.WriteLine($"corrupt run files: {_cases} tried on {_commands} commands; {_clear} clear refusals (exit 2), {_warned} warnings with the run recomputed or left out; 0 internal errors, 0 files outside");
    }

    /// <summary>What is done to a field.</summary>
    public enum Edit { Null, Remove, Negative, NaNText, Two, WrongType, ErrorsAboveTotal, DropLast, Flip, Set }

    /// <summary>
    /// One edit of a run file: the field's path ("metrics.cleanTest.rate", "curve.robustLoss.3"), the edit, and for
    /// <see cref="Edit.Set"/> the value. <see cref="Names"/>: the texts of which a warning or an error must contain one.
    /// </summary>
    public sealed record Corruption(string Path, Edit Edit, JsonNode? Value = null)
    {
        private string[] Segments => Path.Split('.');

        /// <summary>The field as messages write it: "curve.robustLoss[3]"; an edited setting may be named by its key or as the settings.</summary>
        public string[] Names
        {
            get
            {
                var s = Segments;
                if (s[0] == "settings" && s.Length > 1) return ["settings", $"{s[1]} ="];
                string named = string.Concat(s.Select((p, i) => int.TryParse(p, out _) ? $"[{p}]" : (i == 0 ? p : "." + p)));
                return Edit == Edit.ErrorsAboveTotal ? [named + ".errors"] : [named];
            }
        }

        public string Apply(string json)
        {
            var doc = JsonNode.Parse(json)!;
            var s = Segments;
            JsonNode parent = doc;
            foreach (var p in s[..^1]) parent = int.TryParse(p, out int i) ? parent[i]! : parent[p]!;
            string leaf = s[^1];
            JsonNode? current = int.TryParse(leaf, out int at) ? parent[at] : parent[leaf];
            if (Edit == Edit.Remove) { parent.AsObject().Remove(leaf); return doc.ToJsonString(); }
            JsonNode? value = Edit switch
            {
                Edit.Null => null,
                Edit.Negative => JsonValue.Create(-1),
                Edit.NaNText => JsonValue.Create("NaN"),
                Edit.Two => JsonValue.Create(2),
                Edit.WrongType => current is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? JsonValue.Create(5) : JsonValue.Create("abc"),
                Edit.ErrorsAboveTotal => With(current!, "errors", current!["total"]!.GetValue<int>() + 1),
                Edit.DropLast => new JsonArray(current!.AsArray().Take(current.AsArray().Count - 1).Select(n => n?.DeepClone()).ToArray()),
                Edit.Flip => JsonValue.Create(!current!.GetValue<bool>()),
                _ => Value?.DeepClone(),
            };
            if (int.TryParse(leaf, out int index)) parent.AsArray()[index] = value;
            else parent[leaf] = value;
            return doc.ToJsonString();
        }

        private static JsonNode With(JsonNode o, string key, int value)
        {
            var copy = o.DeepClone();
            copy[key] = value;
            return copy;
        }

        public override string ToString() => $"{Path} {Edit}" + (Edit == Edit.Set ? $" {Value?.ToJsonString() ?? "null"}" : "");
    }

    /// <summary>The issue's findings, each a file that verify trusted (or crashed on, exit 70) before.</summary>
    public static IEnumerable<TestCaseData> Findings()
    {
        static TestCaseData Case(Corruption c) => new TestCaseData(c).SetName("Corrupt run file: " + c);
        yield return Case(new("metrics.cleanTest", Edit.Set, JsonNode.Parse("""{ "errors": 20, "total": 10, "rate": 2, "wilsonLow": 0.9, "wilsonHigh": 1 }""")));
        yield return Case(new("metrics.robustTest.errors", Edit.Set, JsonValue.Create(-3)));
        yield return Case(new("metrics.cleanTrain.total", Edit.Negative));
        yield return Case(new("metrics.cleanTest.rate", Edit.NaNText));
        yield return Case(new("metrics.robustTest.rate", Edit.Two));
        yield return Case(new("metrics", Edit.Null));
        foreach (var field in new[] { "settings", "metrics.cleanTest", "metrics.robustTest", "curve", "provenance", "timings" })
        {
            yield return Case(new(field, Edit.Null));
            yield return Case(new(field, Edit.Remove));
        }
        yield return Case(new("divergence", Edit.Set, JsonValue.Create("robust training loss became NaN at iteration 3 (step size too large?)")));
        yield return Case(new("settings.seed", Edit.Set, JsonValue.Create(12345UL)));
    }

    [TestCaseSource(nameof(Findings))]
    [CancelAfter(120_000)]
    public void A_run_file_that_lies_is_recomputed_left_out_or_refused(Corruption c) => CheckEveryReader(c, 0);

    /// <summary>
    /// A random 60 of the corruptions (VERIFY_FUZZ_SCALE=k: k times as many); VERIFY_CORRUPT_ALL=1 tries every one, in file 0
    /// or 1 alternately (about 700, a minute and a half).
    /// </summary>
    [Test]
    [CancelAfter(1_800_000)]
    [Category(Categories.Slow)]
    public void Generated_corruptions_are_caught_by_every_reader()
    {
        var all = Candidates(File.ReadAllText(Path.Combine(_pristine, "runs", _names[0])));
        TestContext.Progress.WriteLine($"{all.Count} corruptions to draw from");
        if (Environment.GetEnvironmentVariable("VERIFY_CORRUPT_ALL") == "1") { for (int i = 0; i < all.Count; i++) CheckEveryReader(all[i], i % 2); return; }
        Gen.Select(Gen.Int[0, all.Count - 1], Gen.Int[0, 1]).ForAll((i, file) => CheckEveryReader(all[i], file), iter: 60 * Scale, threads: 1);
    }

    /// <summary>
    /// Every corruption of a real run file that makes it a lie, found by walking it: objects, texts and arrays null, removed
    /// or of the wrong type; numbers negative, "NaN" or of the wrong type; rates 2; errors above the total; a curve column
    /// shortened; interpolation flipped; a divergence beside metrics; settings edited (then they hash to another run's id).
    /// Left out, as not lies: numbers removed (a count or a time of 0 can be true), optional numbers null, and a setting
    /// added after results existed removed at its default (certifySteps: files written before it lack it), and
    /// predatesCertification (written for readers of the file, never read back).
    /// </summary>
    private static List<Corruption> Candidates(string json)
    {
        var list = new List<Corruption>();
        string[] optional = ["provenance.signalNorm", "provenance.noiseScale", "timings.certificationSeconds"];
        string[] rateLike = ["rate", "wilsonLow", "wilsonHigh", "robustError", "cleanError"];
        void Walk(JsonNode? node, string path, string name, bool inArray)
        {
            bool settingsKey = path.StartsWith("settings.", StringComparison.Ordinal);
            switch (node)
            {
                case JsonObject o:
                    list.Add(new(path, Edit.Null));
                    list.Add(new(path, Edit.WrongType));
                    if (!inArray) list.Add(new(path, Edit.Remove));
                    if (o.ContainsKey("errors") && o.ContainsKey("total")) list.Add(new(path, Edit.ErrorsAboveTotal));
                    foreach (var (k, v) in o) Walk(v, path.Length == 0 ? k : $"{path}.{k}", k, false);
                    break;
                case JsonArray a:
                    list.AddRange([new(path, Edit.Null), new(path, Edit.Remove), new(path, Edit.WrongType)]);
                    if (a.Count > 0) list.Add(new(path, Edit.DropLast));
                    for (int i = 0; i < a.Count; i++) Walk(a[i], $"{path}.{i}", name, true);
                    break;
                case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                    list.AddRange([new(path, Edit.Negative), new(path, Edit.NaNText), new(path, Edit.WrongType)]);
                    if (!optional.Contains(path)) list.Add(new(path, Edit.Null));
                    if (rateLike.Contains(name) && !settingsKey) list.Add(new(path, Edit.Two));
                    if (settingsKey && name != "certifySteps") list.Add(new(path, Edit.Remove));
                    break;
                case JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
                    list.AddRange([new(path, Edit.Flip), new(path, Edit.WrongType)]);
                    if (settingsKey) list.Add(new(path, Edit.Remove));
                    break;
                case JsonValue:
                    list.AddRange([new(path, Edit.Null), new(path, Edit.WrongType)]);
                    if (!inArray) list.Add(new(path, Edit.Remove));
                    break;
                case null when path == "divergence":
                    list.Add(new(path, Edit.Set, JsonValue.Create("robust training loss became NaN at iteration 3 (step size too large?)")));
                    break;
            }
        }
        var root = JsonNode.Parse(json)!.AsObject();
        // predatesCertification is written for readers of the file but never read: it is computed from the metrics.
        foreach (var (k, v) in root.Where(kv => kv.Key != "predatesCertification")) Walk(v, k, k, false);
        list.Add(new("settings.seed", Edit.Set, JsonValue.Create(root["seed"]!.GetValue<ulong>() + 1)));
        list.Add(new("settings.d", Edit.Set, JsonValue.Create(300)));
        return list;
    }

    /// <summary>
    /// A copy of the two runs with file <paramref name="which"/> corrupted, read by `report --no-run`, `merge`, `baseline` and
    /// `run`, in that order (the last rewrites it). Each case has a folder of its own.
    /// </summary>
    private void CheckEveryReader(Corruption c, int which)
    {
        Interlocked.Increment(ref _cases);
        using var dir = new TempDir();
        string results = dir.Sub("results"), runs = Path.Combine(results, "runs");
        Directory.CreateDirectory(runs);
        foreach (var name in _names) File.Copy(Path.Combine(_pristine, "runs", name), Path.Combine(runs, name));
        string bad = Path.Combine(runs, _names[which]);
        string original = File.ReadAllText(bad);
        string corrupt = c.Apply(original);
        Assert.That(corrupt, Is.Not.EqualTo(original), "the edit changes the file");
        File.WriteAllText(bad, corrupt);
        var before = Snapshot(runs);

        string Why(CliRunner.Result r) => $"{c} in {_names[which]}\n{r.Err}";
        void NamesFileAndField(string line, CliRunner.Result r)
        {
            Assert.That(line, Does.Contain(_names[which]), Why(r));
            Assert.That(c.Names.Any(line.Contains), Is.True, $"names the field ({string.Join(" or ", c.Names)}): {Why(r)}");
        }
        string Line(CliRunner.Result r, string prefix) =>
            r.Err.Split('\n').SingleOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal) && l.Contains(_names[which])) ?? "";

        // report --no-run: a warning naming the file and the field; the run is left out, and the report says so.
        var report = Run(["report", _cfg, "--results", results, "--out", dir.Sub("report"), "--no-run", .. Small], dir);
        Assert.That(report.ExitCode, Is.EqualTo(0), Why(report));
        NamesFileAndField(Line(report, "warning:"), report);
        Assert.That(Line(report, "warning:"), Does.Contain("left out"));
        Assert.That(File.ReadAllText(Path.Combine(dir.Sub("report"), "report.md")), Does.Contain("1 of 2 planned runs"), "the report counts the run left out");
        Interlocked.Increment(ref _warned);

        // merge: refused, naming the file and the field; nothing written.
        var merge = Run(["merge", "--into", dir.Sub("merged"), results], dir);
        Assert.That(merge.ExitCode, Is.EqualTo(2), Why(merge));
        NamesFileAndField(Line(merge, "error:"), merge);
        Assert.That(Directory.Exists(dir.Sub("merged")), Is.False, "nothing written");
        Interlocked.Increment(ref _clear);

        // baseline: refused before any run is computed; nothing written, the results as they were.
        var baseline = Run(["baseline", _cfg, "--results", results, "--out", dir.Sub("b.json"), .. Small], dir);
        Assert.That(baseline.ExitCode, Is.EqualTo(2), Why(baseline));
        NamesFileAndField(Line(baseline, "error:"), baseline);
        Assert.That(File.Exists(dir.Sub("b.json")), Is.False, "no baseline written");
        Assert.That(Snapshot(runs), Is.EqualTo(before), "the results are untouched");
        Interlocked.Increment(ref _clear);

        // run: recomputed, with a warning naming the file and the field, into the record a fresh run writes.
        var run = Run(["run", _cfg, "--results", results, .. Small], dir);
        Assert.That(run.ExitCode, Is.EqualTo(0), Why(run));
        NamesFileAndField(Line(run, "warning:"), run);
        Assert.That(run.Out, Does.Contain("1 reused, 1 computed"), Why(run));
        Assert.That(WithoutTimings(File.ReadAllText(bad)), Is.EqualTo(WithoutTimings(original)), "the recomputed record is a fresh run's");
        Assert.That(File.ReadAllText(Path.Combine(runs, _names[1 - which])), Is.EqualTo(before[_names[1 - which]]), "the valid run is reused as it is");
        Assert.That(Directory.GetFiles(runs).Select(f => Path.GetFileName(f)), Is.EquivalentTo(_names), "no temporary file left");
        Interlocked.Increment(ref _warned);
    }

    private static CliRunner.Result Run(string[] args, TempDir dir)
    {
        Interlocked.Increment(ref _commands);
        return HardeningTests.RunChecked(args, dir.Path);
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

    /// <summary>A record without its timings, the one part of it two runs of the same settings do not share.</summary>
    private static string WithoutTimings(string json)
    {
        var doc = JsonNode.Parse(json)!.AsObject();
        doc.Remove("timings");
        return doc.ToJsonString();
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_folder_in_a_run_files_place_is_refused_before_any_run_is_computed()
    {
        using var dir = new TempDir();
        string results = dir.Sub("results"), runs = Path.Combine(results, "runs");
        Directory.CreateDirectory(runs);
        Directory.CreateDirectory(Path.Combine(runs, _names[0]));
        var r = HardeningTests.RunChecked(["run", _cfg, "--results", results, .. Small], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(Path.Combine(runs, _names[0])).And.Contain("is a folder"));
        Assert.That(Directory.GetFiles(runs), Is.Empty, "refused while planning: no run computed");

        // The other readers say the same, and a merge does not write over it.
        var report = HardeningTests.RunChecked(["report", _cfg, "--results", results, "--out", dir.Sub("report"), "--no-run", .. Small], dir.Path);
        Assert.That(report.ExitCode, Is.EqualTo(2), report.Err);
        var merge = HardeningTests.RunChecked(["merge", "--into", results, _pristine], dir.Path);
        Assert.That(merge.ExitCode, Is.EqualTo(2), merge.Err);
        Assert.That(merge.Err, Does.Contain("is a folder"));
        Assert.That(Directory.GetFiles(runs), Is.Empty, "nothing merged");
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_fifo_in_a_run_files_place_is_refused_without_opening_it()
    {
        if (!File.Exists("/usr/bin/mkfifo")) { Assert.Ignore("no /usr/bin/mkfifo on this machine"); return; }
        using var dir = new TempDir();
        string results = dir.Sub("results"), runs = Path.Combine(results, "runs");
        Directory.CreateDirectory(runs);
        string fifo = Path.Combine(runs, _names[0]);
        using (var p = Process.Start(new ProcessStartInfo("/usr/bin/mkfifo", [fifo]) { RedirectStandardError = true })!)
        {
            p.WaitForExit();
            Assert.That(p.ExitCode, Is.EqualTo(0), p.StandardError.ReadToEnd());
        }
        // Reading it would block for ever: verify must tell what it is without opening it.
        foreach (var args in new[]
        {
            new[] { "run", _cfg, "--results", results },
            ["report", _cfg, "--results", results, "--out", dir.Sub("report"), "--no-run"],
            ["baseline", _cfg, "--results", results, "--out", dir.Sub("b.json")],
            ["merge", "--into", dir.Sub("merged"), results],
        })
        {
            var r = HardeningTests.RunChecked([.. args, .. args[0] == "merge" ? [] : Small], dir.Path);
            Assert.That(r.ExitCode, Is.EqualTo(2), args[0] + ": " + r.Err);
            Assert.That(r.Err, Does.Contain(fifo).And.Contain("a FIFO"), args[0]);
        }
        Assert.That(Directory.GetFileSystemEntries(runs), Has.Length.EqualTo(1), "nothing computed beside it");
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_baseline_out_that_is_a_folder_is_refused_before_any_run_is_computed()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Sub("b.json"));
        var r = HardeningTests.RunChecked(["baseline", _cfg, "--results", dir.Sub("results"), "--out", dir.Sub("b.json"), .. Small], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain("--out"));
        Assert.That(Directory.Exists(Path.Combine(dir.Sub("results"), "runs")) && Directory.EnumerateFiles(Path.Combine(dir.Sub("results"), "runs")).Any(), Is.False);
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_merge_refuses_an_invalid_file_already_in_its_destination()
    {
        using var dir = new TempDir();
        string into = dir.Sub("into"), runs = Path.Combine(into, "runs");
        Directory.CreateDirectory(runs);
        string damaged = new Corruption("metrics.cleanTest.rate", Edit.Two).Apply(File.ReadAllText(Path.Combine(_pristine, "runs", _names[1])));
        File.WriteAllText(Path.Combine(runs, _names[1]), damaged);
        var r = HardeningTests.RunChecked(["merge", "--into", into, _pristine], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(_names[1]).And.Contain("metrics.cleanTest.rate").And.Contain("refusing to overwrite"));
        Assert.That(Directory.GetFiles(runs).Select(f => Path.GetFileName(f)), Is.EqualTo(new[] { _names[1] }), "nothing copied, not even the valid run");
        Assert.That(File.ReadAllText(Path.Combine(runs, _names[1])), Is.EqualTo(damaged), "nothing overwritten");

        // Valid shards merge as before: every run copied, a second merge finds them present.
        var ok = HardeningTests.RunChecked(["merge", "--into", dir.Sub("clean"), _pristine], dir.Path);
        Assert.That(ok.ExitCode, Is.EqualTo(0), ok.Err);
        Assert.That(ok.Out, Does.Contain("2 runs copied"));
        var again = HardeningTests.RunChecked(["merge", "--into", dir.Sub("clean"), _pristine, dir.Sub("clean")], dir.Path);
        Assert.That(again.Out, Does.Contain("0 runs copied, 4 already present"));
    }

    /// <summary>A baseline is a reference: values no run can have (a rate of 2, a negative count, NaN) are refused by `regress`, naming the field.</summary>
    [TestCase("cleanTest.rate", "2", "metrics.cleanTest.rate")]
    [TestCase("robustTest.errors", "-1", "metrics.robustTest.errors")]
    [TestCase("cleanTrain.rate", "\"NaN\"", "metrics.cleanTrain.rate")]
    [TestCase("robustTrainLoss", "\"NaN\"", "metrics.robustTrainLoss")]
    [TestCase("cleanTest.errors", "41", "metrics.cleanTest.errors")]
    [TestCase("robustTestCertified.wilsonHigh", "2", "metrics.robustTestCertified.wilsonHigh")]
    [TestCase("certification.undecided", "-5", "metrics.certification.undecided")]
    [CancelAfter(120_000)]
    public void Regress_refuses_a_baseline_with_values_no_run_can_have(string field, string value, string named)
    {
        using var dir = new TempDir();
        string baseline = dir.Sub("b.json");
        var made = CliRunner.Run(["baseline", _cfg, "--results", _pristine, "--out", baseline, .. Small]);
        Assert.That(made.ExitCode, Is.EqualTo(0), made.Err);
        Assert.That(made.Err, Does.Not.Contain("warning"), "the pristine runs are valid and reused");
        var doc = JsonNode.Parse(File.ReadAllText(baseline))!;
        JsonNode parent = doc["runs"]![0]!["metrics"]!;
        var parts = field.Split('.');
        foreach (var p in parts[..^1]) parent = parent[p]!;
        parent[parts[^1]] = JsonNode.Parse(value);
        var r = HardeningTests.RunChecked(["regress", dir.File("edited.json", doc.ToJsonString())], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(named).And.Contain("edited.json"));
    }
}
