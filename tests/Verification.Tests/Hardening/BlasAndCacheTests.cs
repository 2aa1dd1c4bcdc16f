using System.Diagnostics;
using System.Text.Json.Nodes;
using CsCheck;
using Verify.Simulation.Kernels;
using Verify.Verification.Cluster;
using Verify.Verification.Downloads;
using Verify.Verification.Kernels;
using Verify.Verification.Settings;
using Verify.Verification.Processes;

namespace Verify.Verification.Tests.Hardening;

/// <summary>
/// Issue 22, the BLAS kernel and the cache: a calibration cache that is a FIFO, a device, a folder, too large
/// or garbage costs a warning and a new calibration, never a hang; its temporary file is never a planted link
/// and never left behind; there is never a cache folder relative to the working folder; an OpenBLAS kernel
/// that kills its process (SIGILL) costs auto a warning and refuses a forced openblas, in a real verify
/// process; a blank --blas or VERIFY_BLAS is refused.
/// </summary>
[CancelAfter(600_000)]
public class BlasAndCacheTests
{
    private const string CalibrationFileName = CacheLocation.CalibrationFile;

    /// <summary>Sets environment variables for the test (null: unset) and restores them.</summary>
    private sealed class Environment_ : IDisposable
    {
        private readonly List<(string Key, string? Value)> _saved = [];

        public Environment_(params (string Key, string? Value)[] vars)
        {
            foreach (var (key, value) in vars)
            {
                _saved.Add((key, Environment.GetEnvironmentVariable(key)));
                Environment.SetEnvironmentVariable(key, value);
            }
        }

        public void Dispose()
        {
            foreach (var (key, value) in _saved) Environment.SetEnvironmentVariable(key, value);
        }
    }

    /// <summary>
    /// Forgets this process's calibrations for the test, so that it calibrates or reads the cache as a new process would,
    /// and again after it: what it calibrated under its own HOME or cache must not become the auto choice of the tests after it.
    /// </summary>
    private sealed class FreshCalibrations : IDisposable
    {
        public FreshCalibrations() => Backend.ForgetCalibrations();
        public void Dispose() => Backend.ForgetCalibrations();
    }

    private static Calibration Sample(string machine = "machine A") =>
        new(machine, 0.010, 0.012, new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    private static bool MakeFifo(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
        return InputFileKind(path) == "a FIFO";
    }

    private static string? InputFileKind(string path) => Simulation.Files.InputFile.Kind(path);

    private static bool IsRoot() => OperatingSystem.IsLinux() && Environment.UserName == "root";

    private static (int Code, string Out, string Err) Shell(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, o.Result, e.Result);
    }

    // ---- The cache file ----

    [Test]
    public void The_cache_file_round_trips_keeps_sixteen_machines_and_leaves_no_temporary_file()
    {
        using var dir = new TempDir();
        var warnings = new List<string>();
        var file = new CalibrationFile(dir.Sub(CalibrationFileName), warnings.Add);
        var c = Sample();
        Assert.That(file.Save(c));
        Assert.That(file.Load("machine A"), Is.EqualTo(c));
        Assert.That(file.Load("machine B"), Is.Null);
        var problem = Calibration.Unusable("machine P", "crashed with SIGILL (an instruction this CPU lacks) when tried in a child process");
        Assert.That(file.Save(problem));
        Assert.That(file.Load("machine P"), Is.EqualTo(problem), "a verdict is kept like a calibration");
        for (int i = 0; i < 20; i++) file.Save(c with { Machine = $"m{i}", MeasuredAt = c.MeasuredAt.AddMinutes(i) });
        Assert.That(file.Load("m19"), Is.Not.Null);
        Assert.That(file.Load("machine A"), Is.Null, "only the 16 most recent machines are kept");
        Assert.That(Directory.GetFileSystemEntries(dir.Path), Is.EqualTo(new[] { file.Path }), "no temporary files are left behind");
        Assert.That(warnings, Is.Empty);
        Assert.That(new CalibrationFile(Path.Combine(file.Path, "below-a-file.json"), warnings.Add).Save(c), Is.False, "an unwritable place is skipped, not an error");
    }

    private static readonly string[] Garbage =
    [
        "", "{", "[]", "null", "{\"format\": 2, \"calibrations\": []}", "{\"format\": 1}", "{\"format\":1,\"calibrations\":{}}",
        "{\"format\":1,\"calibrations\":[{\"machine\":\"x\",\"managedSeconds\":\"fast\"}]}",
        "{\"format\":1,\"calibrations\":[{\"machine\":\"x\",\"measuredAt\":\"yesterday\"}]}",
        "\u0000\u0001\u0002binary", "{\"format\":1,\"calibrations\":[" + new string('[', 5000) + "]}",
    ];

    [Test]
    public void Garbage_in_the_cache_file_is_ignored_with_one_warning_line_and_replaced()
    {
        using var dir = new TempDir();
        string path = dir.Sub(CalibrationFileName);
        foreach (var bad in Garbage)
        {
            File.WriteAllText(path, bad);
            var warnings = new List<string>();
            var file = new CalibrationFile(path, warnings.Add);
            Assert.That(file.Load("x"), Is.Null, bad);
            Assert.That(file.Save(Sample("x")), bad);
            Assert.That(warnings, Has.Count.EqualTo(1), "one warning for the file, though it was read twice: " + bad);
            Assert.That(warnings[0], Does.StartWith($"warning: the calibration cache '{path}' ").And.EndWith("ignored: verify calibrates again and replaces it"));
            Assert.That(warnings[0], Does.Not.Contain('\n'));
            Assert.That(new CalibrationFile(path, null).Load("x"), Is.Not.Null, "a bad file is replaced: " + bad);
        }
        // Entries that are not valid are dropped without a word: the file is verify's, the entry from another version.
        File.WriteAllText(path, "{\"format\":1,\"calibrations\":[null,{\"machine\":\"x\",\"managedSeconds\":-1,\"openBlasSeconds\":1},{\"machine\":\"x\",\"managedSeconds\":1e999,\"openBlasSeconds\":1}]}");
        var quiet = new List<string>();
        Assert.That(new CalibrationFile(path, quiet.Add).Load("x"), Is.Null);
        Assert.That(quiet, Is.Empty);
    }

    [Test]
    [Category(Categories.Slow)]
    public void Generated_cache_contents_cost_at_most_one_warning_line_and_are_replaced()
    {
        using var dir = new TempDir();
        string path = dir.Sub(CalibrationFileName);
        var seed = new CalibrationFile(path, null);
        seed.Save(Sample("x"));
        seed.Save(Calibration.Unusable("y", "crashed with SIGSEGV (an invalid memory access) when tried in a child process"));
        string valid = File.ReadAllText(path);
        var truncated = Gen.Int[0, valid.Length - 1].Select(n => valid[..n]);
        var mutated = Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Char).Select((i, c) => valid[..i] + c + valid[(i + 1)..]);
        var bytes = Gen.Byte.Array[0, 300].Select(b => System.Text.Encoding.Latin1.GetString(b));
        int tried = 0, warned = 0;
        Gen.OneOf(truncated, mutated, bytes).ForAll(text =>
        {
            tried++;
            File.WriteAllText(path, text);
            var warnings = new List<string>();
            var file = new CalibrationFile(path, warnings.Add);
            file.Load("x");
            file.Load("y");
            Assert.That(warnings, Has.Count.LessThanOrEqualTo(1), text);
            Assert.That(warnings.All(w => w.StartsWith("warning: the calibration cache '") && !w.Contains('\n')), string.Join("|", warnings));
            warned += warnings.Count;
            Assert.That(file.Save(Sample("z")), text);
            Assert.That(new CalibrationFile(path, null).Load("z"), Is.Not.Null, text);
        }, iter: 300, threads: 1);
        Assert.That(Directory.GetFileSystemEntries(dir.Path), Is.EqualTo(new[] { path }), "no temporary file left");
        TestContext.Progress.WriteLine($"generated calibration caches: {tried} tried, {warned} ignored with a warning, 0 exceptions");
    }

    [Test]
    public void A_fifo_a_device_a_folder_or_a_huge_file_in_place_of_the_cache_is_ignored_with_a_warning_never_a_hang()
    {
        using var dir = new TempDir();
        string path = dir.Sub(CalibrationFileName);
        // A regular file that is no cache is replaced; anything else at the cache's name is left as it is (as every
        // output of verify's), so no calibration is kept until it is removed.
        var cases = new List<(string What, Action Make, string Kind, bool Replaced)>
        {
            ("a link to /dev/zero", () => File.CreateSymbolicLink(path, "/dev/zero"), "is a character device", false),
            ("a file of 2 MiB", () => File.WriteAllBytes(path, new byte[2 * 1024 * 1024]), "is larger than the", true),
        };
        if (MakeFifo(dir.Sub("probe-fifo"))) cases.Add(("a FIFO", () => MakeFifo(path), "is a FIFO", false));
        else TestContext.Out.WriteLine("mkfifo is not available: the FIFO case is skipped");
        if (IsRoot()) cases.Add(("a character device made with mknod", () => Shell($"mknod '{path}' c 1 5"), "is a character device", false));
        else TestContext.Out.WriteLine("not root: the mknod case is skipped");

        foreach (var (what, make, kind, replaced) in cases)
        {
            make();
            var warnings = new List<string>();
            var file = new CalibrationFile(path, warnings.Add);
            Assert.That(file.Load("x"), Is.Null, what);
            Assert.That(warnings.Single(), Does.StartWith($"warning: the calibration cache '{path}' {kind}")
                .And.EndWith(replaced ? "replaces it" : "keeps no calibration until it is removed"), what);
            Assert.That(file.Save(Sample("x")), Is.EqualTo(replaced), what);
            if (replaced)
            {
                Assert.That(InputFileKind(path), Is.Null, "replaced by a regular file: " + what);
                Assert.That(new CalibrationFile(path, null).Load("x"), Is.Not.Null, what);
            }
            else Assert.That(InputFileKind(path), Is.EqualTo(kind["is ".Length..]), "left as it was: " + what);
            File.Delete(path);
        }
        Assert.That(File.Exists("/dev/zero"), "the link's target is untouched");

        Directory.CreateDirectory(path);
        var folderWarnings = new List<string>();
        var folder = new CalibrationFile(path, folderWarnings.Add);
        Assert.That(folder.Load("x"), Is.Null);
        Assert.That(folderWarnings.Single(), Does.Contain("is a folder"));
        Assert.That(folder.Save(Sample("x")), Is.False, "a folder is not replaced");
        Assert.That(Directory.GetFileSystemEntries(dir.Path).Where(e => !e.EndsWith("probe-fifo")), Is.EqualTo(new[] { path }), "no temporary file left");
    }

    [Test]
    public void Links_planted_in_the_cache_folder_are_never_followed()
    {
        using var dir = new TempDir();
        string cache = dir.Sub("cache"), outside = dir.File("outside.txt", "precious");
        Directory.CreateDirectory(cache);
        string path = Path.Combine(cache, CalibrationFileName);
        // The old temporary name was predictable: links planted at it (and at likely neighbours) must stay links to an untouched file.
        var planted = Enumerable.Range(Environment.ProcessId - 2, 5).SelectMany(pid => new[]
        {
            Path.Combine(cache, $".{CalibrationFileName}.{pid}.tmp"), $"{path}.tmp-{pid}", $"{path}.tmp",
        }).Distinct().ToList();
        foreach (var p in planted) File.CreateSymbolicLink(p, outside);
        var file = new CalibrationFile(path, null);
        Assert.That(file.Save(Sample()));
        Assert.That(File.ReadAllText(outside), Is.EqualTo("precious"));
        Assert.That(planted.All(p => new FileInfo(p).LinkTarget == outside), "the links are left as they are");

        // A link in place of the cache file itself is neither written through nor replaced (as every output of verify's).
        File.Delete(path);
        File.CreateSymbolicLink(path, outside);
        Assert.That(file.Save(Sample("machine B")), Is.False);
        Assert.That(File.ReadAllText(outside), Is.EqualTo("precious"));
        Assert.That(new FileInfo(path).LinkTarget, Is.EqualTo(outside), "still the link");
    }

    [Test]
    public void A_full_disk_leaves_the_earlier_cache_and_no_temporary_file()
    {
        if (!IsRoot()) Assert.Ignore("mounting a small tmpfs needs root");
        using var dir = new TempDir();
        string mount = dir.Sub("small");
        Directory.CreateDirectory(mount);
        var m = Shell($"mount -t tmpfs -o size=16k tmpfs '{mount}'");
        if (m.Code != 0) Assert.Ignore("cannot mount a tmpfs here: " + m.Err.Trim());
        try
        {
            string path = Path.Combine(mount, CalibrationFileName);
            var file = new CalibrationFile(path, null);
            Assert.That(file.Save(Sample()));
            string before = File.ReadAllText(path);
            // Fill the rest of the disk: the next write gets ENOSPC.
            Shell($"dd if=/dev/zero of='{Path.Combine(mount, "filler")}' bs=1k count=64");
            Assert.That(file.Save(Sample("machine B")), Is.False, "the write fails");
            Assert.That(File.ReadAllText(path), Is.EqualTo(before), "the earlier cache is intact");
            Assert.That(Directory.GetFiles(mount).Select(Path.GetFileName), Is.EquivalentTo(new[] { CalibrationFileName, "filler" }), "no temporary file is left");
        }
        finally { Shell($"umount '{mount}'"); }
    }

    // ---- Where the cache is ----

    private static Func<string, string?> Env(params (string Key, string? Value)[] vars) => key => vars.FirstOrDefault(v => v.Key == key).Value;

    [TestCase("/nonexistent-home-of-verify-tests")]
    [TestCase("relative/home")]
    [TestCase("/etc/passwd")]
    [TestCase("/tmp/line\nbreak")]
    public void A_home_that_is_no_absolute_folder_means_no_cache_never_the_working_folder(string home)
    {
        var ex = Assert.Throws<InvalidInputException>(() => CacheLocation.Root(null, Env(("HOME", home))));
        Assert.That(ex!.Message, Does.StartWith("there is no cache folder: HOME = '").And.EndWith("set VERIFY_CACHE (or XDG_CACHE_HOME) to a folder, or fix HOME"));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
        Assert.That(CacheLocation.Root(null, Env(("HOME", home), ("VERIFY_CACHE", "/v"))), Is.EqualTo("/v"), "VERIFY_CACHE still names one");
        Assert.That(CacheLocation.Root(null, Env(("HOME", home), ("XDG_CACHE_HOME", "/x"))), Is.EqualTo("/x/verify"));
    }

    [Test]
    public void A_relative_xdg_cache_home_is_ignored_as_the_specification_says()
    {
        using var dir = new TempDir();
        Assert.That(CacheLocation.Root(null, Env(("HOME", dir.Path), ("XDG_CACHE_HOME", "rel/cache"))), Is.EqualTo(Path.Combine(dir.Path, ".cache", "verify")));
        Assert.That(CacheLocation.Root(null, Env(("HOME", dir.Path), ("XDG_CACHE_HOME", ""))), Is.EqualTo(Path.Combine(dir.Path, ".cache", "verify")));
    }

    [Test]
    [Category(Categories.Slow)]
    public void With_home_missing_train_writes_nothing_in_the_working_folder_and_data_says_there_is_no_cache()
    {
        using var dir = new TempDir();
        using var env = new Environment_(("HOME", "/nonexistent-home-of-verify-tests"), ("VERIFY_CACHE", null), ("XDG_CACHE_HOME", null), ("VERIFY_BLAS", null));
        using var fresh = new FreshCalibrations(); // so that this process calibrates and would save
        // RunChecked fails on anything new in the working folder (where ./.cache/verify went before).
        var train = HardeningTests.RunChecked(["train", .. BadInputCorpus.Tiny, "--out", "{dir}/out.json"], dir.Path);
        Assert.That(train.ExitCode, Is.EqualTo(0), train.Err);
        var data = HardeningTests.RunChecked(["data", "mnist"], dir.Path);
        Assert.That(data.ExitCode, Is.EqualTo(2), data.Err);
        Assert.That(data.Err, Does.StartWith("error: there is no cache folder: HOME = '/nonexistent-home-of-verify-tests'"));
        Assert.That(Directory.Exists("/nonexistent-home-of-verify-tests"), Is.False);
    }

    [Test]
    [Category(Categories.Slow)]
    public void A_fifo_in_place_of_the_calibration_costs_train_a_warning_and_is_left_as_it_is()
    {
        using var dir = new TempDir();
        string cache = dir.Sub("cache");
        Directory.CreateDirectory(cache);
        string path = Path.Combine(cache, CalibrationFileName);
        if (!MakeFifo(path)) Assert.Ignore("mkfifo is not available here");
        using var env = new Environment_(("VERIFY_CACHE", cache), ("VERIFY_BLAS", null));
        using var fresh = new FreshCalibrations(); // so that this process reads the cache
        var r = HardeningTests.RunChecked(["train", .. BadInputCorpus.Tiny, "--out", "{dir}/out.json"], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        if (OpenBlas.TryLoad() is null) return; // no OpenBLAS: auto has nothing to calibrate, and the cache is never read
        Assert.That(r.Err.Split('\n').Where(l => l.StartsWith("warning:")), Is.EqualTo(new[]
        {
            $"warning: the calibration cache '{path}' is a FIFO: verify reads only regular files; ignored: verify calibrates again and keeps no calibration until it is removed",
        }));
        Assert.That(InputFileKind(path), Is.EqualTo("a FIFO"), "left as it is");
    }

    // ---- Blank choices ----

    private static readonly string[] Blanks = ["", " ", "\t", "  \n"];

    public static IEnumerable<TestCaseData> BlankBlasOptions() =>
        from command in new[] { "train", "run", "bench", "submit", "report" }
        from blank in Blanks
        select new TestCaseData(command, blank).SetName($"--blas '{blank.Replace("\n", "\\n").Replace("\t", "\\t")}' on {command}");

    [TestCaseSource(nameof(BlankBlasOptions))]
    public void A_blank_blas_option_is_refused_naming_the_option_and_the_choices(string command, string blank)
    {
        using var dir = new TempDir();
        string[] args = command switch
        {
            "train" => ["train", .. BadInputCorpus.Tiny, "--blas", blank],
            "bench" => ["bench", "--blas", blank],
            "submit" => ["submit", dir.File("e.json", "{}"), "--tasks", "2", "--blas", blank],
            _ => [command, dir.File("e.json", "{}"), "--blas", blank],
        };
        var r = HardeningTests.RunChecked(args, dir.Path);
        Errors.Refused(r, "--blas", allowed: "auto, managed or openblas");
    }

    [TestCase(" ")]
    [TestCase("\t")]
    [TestCase("mkl")]
    public void A_blank_or_unknown_verify_blas_is_refused_naming_the_variable(string value)
    {
        using var dir = new TempDir();
        using var env = new Environment_(("VERIFY_BLAS", value));
        var r = HardeningTests.RunChecked(["train", .. BadInputCorpus.Tiny], dir.Path);
        Errors.Refused(r, "VERIFY_BLAS", $"'{Simulation.Files.InputFile.Printable(value)}'", "auto, managed or openblas");
        var given = HardeningTests.RunChecked(["train", .. BadInputCorpus.Tiny, "--blas", "managed"], dir.Path);
        Assert.That(given.ExitCode, Is.EqualTo(0), "the option wins over the variable: " + given.Err);
    }

    [Test]
    public void An_empty_verify_blas_counts_as_unset()
    {
        using var dir = new TempDir();
        using var env = new Environment_(("VERIFY_BLAS", ""));
        Assert.That(Backend.FromEnvironment(), Is.EqualTo(BlasChoice.Auto));
        var r = HardeningTests.RunChecked(["train", .. BadInputCorpus.Tiny, "--json"], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
    }

    // ---- The trial in a child process ----

    [Test]
    [Category(Categories.Slow)]
    public void The_probe_command_is_hidden_and_answers_in_one_json_line()
    {
        var unknown = CliRunner.Run("nosuch");
        Assert.That(unknown.Err, Does.Contain("the commands are").And.Not.Contain("blas-probe"));
        if (OpenBlas.TryLoad() is null) Assert.Ignore($"{OpenBlas.LibraryName} is not installed");
        var r = CliRunner.Run("blas-probe");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        var verdict = JsonNode.Parse(r.Out.Trim())!;
        Assert.That((string?)verdict["machine"], Is.EqualTo(Backend.MachineKey(OpenBlas.TryLoad()!, ManagedGemm.Instance)));
        Assert.That((double)verdict["managedSeconds"]!, Is.GreaterThan(0));
    }

    [Test]
    [Category(Categories.Slow)]
    public void A_child_verify_started_from_the_test_host_tries_openblas_and_answers_for_this_machine()
    {
        if (OpenBlas.TryLoad() is not { } ob) { Assert.Ignore($"{OpenBlas.LibraryName} is not installed"); return; }
        string machine = Backend.MachineKey(ob, ManagedGemm.Instance);
        var result = new ChildProbe().Try(machine);
        Assert.That(result, Is.Not.Null, "started as " + string.Join(' ', VerifyExecutable.Command()));
        Assert.That(result!.Lasting);
        Assert.That(result.Verdict.Machine, Is.EqualTo(machine));
        Assert.That(result.Verdict.IsValid);
        Assert.That(new ChildProbe().Try("another machine key"), Is.Null, "an answer for another key (another build) is no answer");
    }

    private static readonly string Json1 = "{\"machine\":\"m\",\"managedSeconds\":2,\"openBlasSeconds\":1,\"measuredAt\":\"2026-12-01T00:00:00+00:00\"}";

    [TestCase("kill -ILL $$", "crashed with SIGILL (an instruction this CPU lacks) when tried in a child process", true)]
    [TestCase("kill -SEGV $$", "crashed with SIGSEGV (an invalid memory access) when tried in a child process", true)]
    [TestCase("kill -BUS $$", "crashed with SIGBUS (a bus error) when tried in a child process", true)]
    [TestCase("kill -FPE $$", "crashed with SIGFPE (an arithmetic exception) when tried in a child process", true)]
    [TestCase("kill -ABRT $$", "crashed with SIGABRT (aborted) when tried in a child process", false)]
    public void A_child_that_dies_of_a_signal_is_a_crash_of_the_kernel(string script, string problem, bool lasting)
    {
        if (!File.Exists("/bin/sh")) Assert.Ignore("no /bin/sh");
        var r = new ChildProbe(["/bin/sh", "-c", script]).Try("m");
        Assert.That(r, Is.Not.Null);
        Assert.That((r!.Verdict.Problem, r.Lasting, r.Verdict.Machine), Is.EqualTo((problem, lasting, "m")));
    }

    [TestCase("kill -KILL $$", TestName = "killed from outside (the OOM killer)")]
    [TestCase("kill -TERM $$", TestName = "terminated (a scheduler)")]
    [TestCase("exit 2", TestName = "an older verify without the command")]
    [TestCase("exit 0", TestName = "no answer")]
    [TestCase("echo '{ not json'", TestName = "garbage for an answer")]
    [TestCase("echo '{\"machine\":\"m\",\"managedSeconds\":-1,\"openBlasSeconds\":1}'", TestName = "an invalid calibration")]
    public void A_child_that_made_no_trial_is_no_answer(string script)
    {
        if (!File.Exists("/bin/sh")) Assert.Ignore("no /bin/sh");
        Assert.That(new ChildProbe(["/bin/sh", "-c", script]).Try("m"), Is.Null);
        Assert.That(new ChildProbe(["/no/such/program"]).Try("m"), Is.Null, "a child that cannot start");
        var good = new ChildProbe(["/bin/sh", "-c", $"echo 'noise'; echo '{Json1}'"]).Try("m");
        Assert.That(good?.Verdict, Is.EqualTo(new Calibration("m", 2, 1, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))), "the last line is the answer");
    }

    [Test]
    public void A_child_that_hangs_is_stopped_and_counts_for_this_process_only()
    {
        if (!File.Exists("/bin/sh")) Assert.Ignore("no /bin/sh");
        // The child sleeps ten minutes; the probe's limit is a tenth of a second: no race in practice.
        var r = new ChildProbe(["/bin/sh", "-c", "exec sleep 600"], TimeSpan.FromMilliseconds(100)).Try("m");
        Assert.That(r, Is.Not.Null);
        Assert.That(r!.Lasting, Is.False);
        Assert.That(r.Verdict.Problem, Does.StartWith("did not finish its trial in a child process within"));
    }

    /// <summary>Runs the verify executable as a process, with environment changes (null: unset), in <paramref name="cwd"/>.</summary>
    private static (int Code, string Out, string Err) RunVerify(string cwd, (string Key, string? Value)[] env, params string[] args)
    {
        var command = VerifyExecutable.Command();
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = cwd,
        };
        foreach (var a in command.Skip(1).Concat(args)) psi.ArgumentList.Add(a);
        foreach (var (key, value) in env)
            if (value is null) psi.Environment.Remove(key);
            else psi.Environment[key] = value;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        // A guard against a regression that hangs, not a timing: the run takes seconds.
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail("verify " + string.Join(' ', args) + " hung");
        }
        p.WaitForExit();
        return (p.ExitCode, o.Result, e.Result);
    }

    private static void AssertAutoWarnsAndForcedIsRefused(TempDir dir, (string Key, string? Value)[] env, string problem)
    {
        string[] train = ["train", .. BadInputCorpus.Tiny, "--out", dir.Sub("out.json")];
        var auto = RunVerify(dir.Path, env, [.. train, "--blas", "auto"]);
        Assert.That(auto.Code, Is.EqualTo(0), auto.Err);
        var warnings = auto.Err.Split('\n').Where(l => l.StartsWith("warning:")).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1), auto.Err);
        Assert.That(warnings[0], Does.StartWith("warning: openblas (").And.Contain(problem).And.EndWith("; using the managed kernel"));
        Assert.That(File.ReadAllText(dir.Sub("out.json")), Does.Contain("fell back"), "the result records why");

        var forced = RunVerify(dir.Path, env, [.. train, "--blas", "openblas"]);
        Assert.That(forced.Code, Is.EqualTo(2), forced.Err);
        Assert.That(forced.Err.Split('\n').Count(l => l.StartsWith("error:")), Is.EqualTo(1), forced.Err);
        Assert.That(forced.Err, Does.Not.Contain("   at ").And.Not.Contain("internal error"), "no stack trace");
        Assert.That(forced.Err, Does.Contain("error: blas = openblas is not safe here: openblas (").And.Contain(problem));
    }

    [Test]
    [Category(Categories.Slow)]
    public void A_coretype_this_cpu_cannot_run_costs_auto_a_warning_and_refuses_a_forced_openblas()
    {
        if (OpenBlas.TryLoad() is null) Assert.Ignore($"{OpenBlas.LibraryName} is not installed");
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            Assert.Ignore("OpenBLAS core types are x86-64 names");
        if (Machine.HasInstructions("avx512f")) Assert.Ignore("this CPU has AVX-512: SkylakeX runs on it (the fake crashing OpenBLAS covers the crash)");
        using var dir = new TempDir();
        (string, string?)[] env = [("OPENBLAS_CORETYPE", "SkylakeX"), ("VERIFY_CACHE", dir.Sub("cache")), ("VERIFY_BLAS", null)];
        AssertAutoWarnsAndForcedIsRefused(dir, env, "(SkylakeX) needs instructions this CPU lacks: avx512f");

        // Without the check in front, the trial in a child catches it: the child dies of SIGILL, as verify did before.
        var r = new ChildProbe(["/usr/bin/env", "OPENBLAS_CORETYPE=SkylakeX", .. VerifyExecutable.Command(), "blas-probe"]).Try("m");
        Assert.That(r?.Verdict.Problem, Does.StartWith("crashed with SIGILL"));
    }

    private const string FakeOpenBlas = """
        /* A libopenblas.so.0 whose GEMMs execute an undefined instruction (SIGILL), as a kernel for another CPU does. */
        void cblas_dgemm(void) { __builtin_trap(); }
        void cblas_sgemm(void) { __builtin_trap(); }
        const char *openblas_get_corename(void) { return "FakeTrap"; }
        """;

    [Test]
    [Category(Categories.Slow)]
    public void An_openblas_that_kills_its_process_costs_auto_a_warning_and_refuses_a_forced_openblas()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("a shared library built with cc: Linux");
        using var dir = new TempDir();
        string lib = dir.Sub("lib");
        Directory.CreateDirectory(lib);
        string source = dir.File("fake.c", FakeOpenBlas);
        var cc = Shell($"cc -shared -fPIC -o '{Path.Combine(lib, "libopenblas.so.0")}' '{source}'");
        if (cc.Code != 0) Assert.Ignore("no C compiler to build the fake OpenBLAS: " + cc.Err.Trim());
        string cache = dir.Sub("cache");
        (string, string?)[] env = [("LD_LIBRARY_PATH", lib), ("VERIFY_CACHE", cache), ("VERIFY_BLAS", null), ("OPENBLAS_CORETYPE", null)];
        AssertAutoWarnsAndForcedIsRefused(dir, env, "(FakeTrap) crashed with SIGILL (an instruction this CPU lacks) when tried in a child process");

        // The verdict is kept with the calibrations: later processes do not try again.
        var kept = JsonNode.Parse(File.ReadAllText(Path.Combine(cache, CalibrationFileName)))!["calibrations"]!.AsArray();
        Assert.That(kept.Select(c => (string?)c!["problem"]), Has.One.StartsWith("crashed with SIGILL"));
        Assert.That(kept.Select(c => (string?)c!["machine"]), Has.One.Contains("openblas (FakeTrap)"));
    }
}
