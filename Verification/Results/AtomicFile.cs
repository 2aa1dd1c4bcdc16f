using System.Text;
using System.Text.RegularExpressions;
using Verify.Simulation.Files;

namespace Verify.Verification.Results;

/// <summary>
/// Every file verify writes goes through here. The file is written under a temporary name in the same
/// folder, flushed to disk and renamed into place, so a reader (or a crash) never sees half a file and an
/// earlier version survives an interrupted or failed write.
/// <para>
/// Only regular files are written: an existing FIFO, device, socket, folder or symbolic link at the path is
/// refused (<see cref="TargetProblem"/>), never replaced, so `--out /dev/null` cannot turn the machine's
/// /dev/null into a file and a link cannot steer a write elsewhere. The temporary file has an unpredictable
/// name and is created exclusively (O_CREAT|O_EXCL, which fails on any existing entry, a dangling link
/// included), so nothing planted at that name is followed or truncated.
/// </para>
/// <para>
/// A write that fails (a full disk, a read-only or vanished folder, no permission) is an
/// <see cref="InvalidInputException"/> naming the file and the system's reason, never an internal error;
/// the temporary file is removed and the earlier file, if any, is left as it was.
/// </para>
/// </summary>
internal static partial class AtomicFile
{
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>
    /// A file written by <paramref name="write"/> into the temporary file's stream, for contents too large to hold as one
    /// array (a model file). <paramref name="createFolder"/>: create the file's folder when it is missing (false: a
    /// missing folder is a failed write, for a file the user placed in a folder that must already exist).
    /// </summary>
    public static void Write(string path, Action<Stream> write, bool createFolder = true)
    {
        string full = Path.GetFullPath(path);
        if (TargetProblem(full) is { } problem)
            throw new InvalidInputException($"cannot write '{InputFile.Printable(full)}': it is {problem}; verify writes only regular files and replaces nothing else");
        string? tmp = null;
        try
        {
            if (createFolder) Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            tmp = TemporaryName(full);
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot write '{InputFile.Printable(full)}': {InputFile.Reason(ex)}" +
                                            (File.Exists(full) ? "; the file there is unchanged" : ""));
        }
        finally
        {
            if (tmp is not null) TryDelete(tmp);
        }
    }

    /// <summary>
    /// Why the existing entry at <paramref name="fullPath"/> must not be replaced by a file ("a FIFO", "a
    /// symbolic link to …"), or null when it is a regular file or absent. Links are not followed.
    /// </summary>
    public static string? TargetProblem(string fullPath)
    {
        FileInfo info;
        try { info = new FileInfo(fullPath); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or UnauthorizedAccessException) { return null; }
        if (info.LinkTarget is { } target) return $"a symbolic link (to '{InputFile.Printable(target)}')";
        return InputFile.Kind(fullPath);
    }

    /// <summary>
    /// "&lt;name&gt;.tmp-&lt;128 random bits&gt;" beside the file: unpredictable, so no one can plant anything there in
    /// advance, and cut to the 255 bytes a file name may have.
    /// </summary>
    private static string TemporaryName(string full)
    {
        string name = Path.GetFileName(full);
        string suffix = $".tmp-{Guid.NewGuid():N}";
        int keep = name.Length;
        while (keep > 0 && Encoding.UTF8.GetByteCount(name.AsSpan(0, keep)) + suffix.Length > 255) keep--;
        return Path.Combine(Path.GetDirectoryName(full)!, name[..keep] + suffix);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

}
