using System.ComponentModel;
using System.Diagnostics;

namespace Verify.Verification.Processes;

/// <summary>What a child process did; <see cref="StartError"/> set means it never ran.</summary>
internal sealed record ChildResult(int ExitCode, string Stdout, string Stderr, bool TimedOut, Win32Exception? StartError);

/// <summary>
/// Runs an external program (sbatch and friends, the Python baseline, npm) the one way verify needs:
/// no shell, arguments passed as a list, stdin closed, both outputs captured, and past the timeout the
/// program is killed with its children. Callers word the failures for their own users.
/// </summary>
internal static class ChildProcess
{
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
            var stdout = proc.StandardOutput.ReadToEndAsync(cancel);
            var stderr = proc.StandardError.ReadToEndAsync(cancel);
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
}
