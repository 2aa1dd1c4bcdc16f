using System.Diagnostics;

namespace Verify.Verification.Tests.Hardening;

/// <summary>
/// Things that are not regular files, put where verify reads or writes a file: a FIFO (/usr/bin/mkfifo), links
/// to /dev/zero and /dev/null, a folder, a file one byte over a limit (sparse: no disk space used), a character
/// device (mknod, root only), links to elsewhere; and a tiny full filesystem (a tmpfs, root only). What cannot be
/// made here makes the test ignored, saying why.
/// </summary>
public static class FileKinds
{
    /// <summary>The kinds of bad input file, each with what verify's message says about it.</summary>
    public enum Input { Fifo, DevZero, DevNull, Folder, Oversized }

    public static readonly Input[] Inputs = Enum.GetValues<Input>();

    /// <summary>The words verify's message uses for <paramref name="kind"/> (InputFile's "is a FIFO", "is larger than").</summary>
    public static string Says(Input kind) => kind switch
    {
        Input.Fifo => "a FIFO",
        Input.DevZero or Input.DevNull => "a character device",
        Input.Folder => "a folder",
        _ => "larger than",
    };

    /// <summary>Puts <paramref name="kind"/> at <paramref name="path"/> (which must not exist); <paramref name="limit"/> is the size an oversized file exceeds by one byte.</summary>
    public static string Make(Input kind, string path, long limit)
    {
        switch (kind)
        {
            case Input.Fifo: return Fifo(path);
            case Input.DevZero: return Link(path, "/dev/zero");
            case Input.DevNull: return Link(path, "/dev/null");
            case Input.Folder: Directory.CreateDirectory(path); return path;
            default: return Sparse(path, limit + 1);
        }
    }

    public static string Fifo(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("FIFOs and devices are told apart on Linux and macOS only");
        Run(File.Exists("/usr/bin/mkfifo") ? "/usr/bin/mkfifo" : "mkfifo", path);
        if (!File.Exists(path)) Assert.Ignore("mkfifo made no FIFO here");
        return path;
    }

    public static string Link(string path, string target)
    {
        if (target.StartsWith("/dev/", StringComparison.Ordinal) && !File.Exists(target)) Assert.Ignore($"{target} does not exist here");
        File.CreateSymbolicLink(path, target);
        return path;
    }

    /// <summary>A file of <paramref name="length"/> zero bytes that takes no disk space (a hole).</summary>
    public static string Sparse(string path, long length)
    {
        using (var f = new FileStream(path, FileMode.CreateNew)) f.SetLength(length);
        return path;
    }

    /// <summary>A character device with /dev/null's numbers (1, 3): writing to it discards, as /dev/null does. Root only.</summary>
    public static string CharDevice(string path)
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("mknod is tested on Linux");
        if (!Environment.IsPrivilegedProcess) Assert.Ignore("mknod needs root: the character-device case is skipped");
        var r = Run("mknod", path, "c", "1", "3");
        if (!File.Exists(path)) Assert.Ignore($"mknod made no device here ({r.Trim()})");
        return path;
    }

    /// <summary>True when <paramref name="path"/> is (still) a character device and no link to one.</summary>
    public static bool IsCharDevice(string path) => new FileInfo(path).LinkTarget is null && Simulation.Files.InputFile.Kind(path) == "a character device";

    /// <summary>True when <paramref name="path"/> is (still) a FIFO and no link to one.</summary>
    public static bool IsFifo(string path) => new FileInfo(path).LinkTarget is null && Simulation.Files.InputFile.Kind(path) == "a FIFO";

    /// <summary>Runs a program to its end and returns what it printed (stdout and stderr).</summary>
    public static string Run(string file, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
            var err = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return output + err.Result;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Ignore($"{file} cannot be run here ({ex.Message})");
            throw;
        }
    }

    /// <summary>
    /// While it lives, opens the FIFO now and then for reading and writing (which never blocks on Linux) and closes
    /// it again: a reader that wrongly opened the FIFO then reaches its end instead of waiting forever, so a
    /// regression fails the test's assertions instead of hanging the suite. Correct code never opens the FIFO.
    /// </summary>
    public sealed class Unblocker : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;

        public Unblocker(IEnumerable<string> fifos)
        {
            var paths = fifos.ToList();
            _thread = new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    foreach (var fifo in paths)
                    {
                        try { using (File.OpenHandle(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite)) _stop.Token.WaitHandle.WaitOne(20); }
                        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
                    }
                    _stop.Token.WaitHandle.WaitOne(50);
                }
            }) { IsBackground = true };
            if (OperatingSystem.IsLinux() && paths.Count > 0) _thread.Start();
        }

        public void Dispose()
        {
            _stop.Cancel();
            if (_thread.IsAlive) _thread.Join();
            _stop.Dispose();
        }
    }

    /// <summary>
    /// A 64 KiB tmpfs mounted on a fresh folder, to be filled to a chosen free space: a full disk without touching
    /// the machine's. Root only (mount); unmounted on Dispose.
    /// </summary>
    public sealed class SmallDisk : IDisposable
    {
        public const int Size = 64 * 1024;

        private SmallDisk(string path) => Path = path;

        public string Path { get; }

        public static SmallDisk Mount(string path)
        {
            if (!OperatingSystem.IsLinux()) Assert.Ignore("a small tmpfs is mounted on Linux only");
            if (!Environment.IsPrivilegedProcess) Assert.Ignore("mounting a small tmpfs needs root: the full-disk case is skipped");
            Directory.CreateDirectory(path);
            string said = Run("mount", "-t", "tmpfs", "-o", $"size={Size / 1024}k", "tmpfs", path);
            var drive = new DriveInfo(path);
            if (drive.DriveFormat != "tmpfs" || drive.TotalSize != Size)
            {
                if (drive.TotalSize == Size) Run("umount", path);
                Assert.Ignore("cannot mount a small tmpfs here: " + said.Trim());
            }
            return new SmallDisk(path);
        }

        /// <summary>Fills the disk but for <paramref name="freeBytes"/> (rounded down to whole 4 KiB pages, as tmpfs counts).</summary>
        public void LeaveFree(long freeBytes)
        {
            string filler = System.IO.Path.Combine(Path, "filler");
            File.Delete(filler);
            long free = new DriveInfo(Path).AvailableFreeSpace;
            using var f = new FileStream(filler, FileMode.CreateNew);
            // Real bytes, not a hole: a hole takes no space.
            var block = new byte[4096];
            try
            {
                for (long left = Math.Max(0, free - freeBytes); left > 0; left -= block.Length) f.Write(block, 0, (int)Math.Min(block.Length, left));
                f.Flush(flushToDisk: true);
            }
            catch (IOException) { } // full already: what was asked
        }

        public void Dispose() => Run("umount", Path);
    }
}
