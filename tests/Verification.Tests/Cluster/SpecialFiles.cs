using System.Diagnostics;

namespace Verify.Verification.Tests.Cluster;

/// <summary>
/// Files that are not regular files, for the tests that put one where verify expects a file: a FIFO (made with
/// /usr/bin/mkfifo), and a link to /dev/zero. Where one cannot be made the test is skipped with the reason.
/// </summary>
internal static class SpecialFiles
{
    /// <summary>A FIFO at <paramref name="path"/>; the test is ignored, saying why, where mkfifo is missing.</summary>
    public static string Fifo(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("FIFOs are told apart on Linux and macOS only");
        string mkfifo = File.Exists("/usr/bin/mkfifo") ? "/usr/bin/mkfifo" : "mkfifo";
        try
        {
            using var p = Process.Start(new ProcessStartInfo(mkfifo, [path]) { UseShellExecute = false, RedirectStandardError = true })!;
            p.StandardError.ReadToEnd();
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception ex) { Assert.Ignore($"mkfifo cannot be run here ({ex.Message})"); }
        if (!File.Exists(path)) Assert.Ignore("mkfifo made no FIFO here");
        return path;
    }

    /// <summary>A link at <paramref name="path"/> to /dev/zero, a file that never ends.</summary>
    public static string Zero(string path)
    {
        if (!File.Exists("/dev/zero")) Assert.Ignore("/dev/zero does not exist here");
        File.CreateSymbolicLink(path, "/dev/zero");
        return path;
    }

    /// <summary>
    /// While it lives, opens the FIFO now and then for reading and writing (which never blocks on Linux) and closes
    /// it again: a reader that wrongly opened the FIFO then gets to its end instead of waiting forever, so a
    /// regression fails the test's assertions (the FIFO read as an empty file) rather than hanging the suite.
    /// </summary>
    public sealed class Unblocker : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;

        public Unblocker(string fifo)
        {
            _thread = new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try { using (File.OpenHandle(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite)) _stop.Token.WaitHandle.WaitOne(20); }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
                    _stop.Token.WaitHandle.WaitOne(20);
                }
            }) { IsBackground = true };
            if (OperatingSystem.IsLinux()) _thread.Start();
        }

        public void Dispose()
        {
            _stop.Cancel();
            if (_thread.IsAlive) _thread.Join();
            _stop.Dispose();
        }
    }
}
