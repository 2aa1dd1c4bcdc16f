using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Verify.Verification.Processes;

/// <summary>What a child process did; <see cref="StartError"/> set means it never ran.</summary>
internal sealed record ChildResult(int ExitCode, string Stdout, string Stderr, bool TimedOut, Win32Exception? StartError);

/// <summary>
/// Runs an external program (sbatch and friends, the Python baseline, npm) the one way verify needs:
/// no shell, arguments passed as a list, stdin closed, both outputs captured, and past the timeout the
/// program is killed with its children. Callers word the failures for their own users.
/// <para>
/// Both outputs are read to their end (a child blocked on a full pipe never finishes) but kept only up to a
/// cap (<see cref="MaxStdoutChars"/>, <see cref="MaxStderrChars"/>): the start and the end of a longer output,
/// with "… (N characters cut) …" between them. A program's error is at its start (npm's code) or at its end (a
/// Python traceback), and callers quote it in messages, so that neither a 20 MB stderr nor an endless one
/// becomes a 20 MB error line or fills the memory.
/// </para>
/// </summary>
internal static class ChildProcess
{
    /// <summary>What is kept of stdout, which callers parse (sacct lists every task of an array): 64 Mi characters.</summary>
    public const int MaxStdoutChars = 64 << 20;

    /// <summary>What is kept of stderr, which callers only quote: 1 Mi characters.</summary>
    public const int MaxStderrChars = 1 << 20;

    public static ChildResult Run(string file, IEnumerable<string> args, TimeSpan? timeout,
        string? workingDirectory = null, CancellationToken cancel = default)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process proc;
        try { proc = Process.Start(psi) ?? throw new Win32Exception("no process"); }
        catch (Win32Exception ex) { return new ChildResult(-1, "", "", false, ex); }
        using (proc)
        {
            proc.StandardInput.Close();
            var stdout = ReadCappedAsync(proc.StandardOutput, MaxStdoutChars, cancel);
            var stderr = ReadCappedAsync(proc.StandardError, MaxStderrChars, cancel);
            bool timedOut = timeout is { } t && !proc.WaitForExit(t);
            if (timedOut)
            {
                try { proc.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { } // it exited between the wait and the kill
            }
            proc.WaitForExit();
            return new ChildResult(timedOut ? -1 : proc.ExitCode, stdout.Result, stderr.Result, timedOut, null);
        }
    }

    /// <summary>The whole stream read, at most <paramref name="max"/> characters of it kept: its first and last halves.</summary>
    internal static async Task<string> ReadCappedAsync(TextReader reader, int max, CancellationToken cancel = default)
    {
        var kept = new CappedText(max);
        var buffer = new char[16384];
        int n;
        while ((n = await reader.ReadAsync(buffer.AsMemory(), cancel).ConfigureAwait(false)) > 0)
            kept.Append(buffer.AsSpan(0, n));
        return kept.ToString();
    }

    /// <summary>The first max/2 characters appended and the last max/2, counting what falls between.</summary>
    internal sealed class CappedText(int max)
    {
        private readonly int _half = Math.Max(1, max / 2);
        private readonly StringBuilder _head = new();
        private readonly StringBuilder _tail = new();
        private long _cut;

        public void Append(ReadOnlySpan<char> chunk)
        {
            int toHead = Math.Min(chunk.Length, _half - _head.Length);
            if (toHead > 0)
            {
                _head.Append(chunk[..toHead]);
                chunk = chunk[toHead..];
            }
            if (chunk.IsEmpty) return;
            _tail.Append(chunk);
            // Trimmed once it holds twice what is kept, so that each character is moved a bounded number of times.
            if (_tail.Length > 2 * _half)
            {
                int drop = _tail.Length - _half;
                _tail.Remove(0, drop);
                _cut += drop;
            }
        }

        public override string ToString()
        {
            long cut = _cut;
            string tail = _tail.ToString();
            if (tail.Length > _half)
            {
                cut += tail.Length - _half;
                tail = tail[^_half..];
            }
            return cut == 0 ? _head + tail : $"{_head}\n… ({cut.ToString(CultureInfo.InvariantCulture)} characters cut) …\n{tail}";
        }
    }
}
