using Verify.Simulation.Files;
namespace Verify.Verification.Results;

/// <summary>
/// Checks made before work starts, so that a finished computation is never lost to an output location
/// that cannot take it: the folder exists or can be made, is a folder, and takes a file; and no file to be
/// written there is something other than a regular file (a FIFO, a device, a link: <see cref="AtomicFile"/>
/// would refuse it after the work). Messages name the option the user gave.
/// </summary>
internal static class WritableFolder
{
    /// <param name="files">Files the command will write in the folder (relative paths such as "report.md" or "figures/a.svg"): each must be a regular file or absent.</param>
    /// <param name="create">Create the folder when it is missing (false: a missing folder is refused, naming it).</param>
    public static void Check(string folder, string option, IEnumerable<string>? files = null, bool create = true)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw InvalidInputException.MustBe(option, "''", "a folder");
        string full;
        try { full = Path.GetFullPath(folder); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw InvalidInputException.MustBe(option, $"'{folder}'", $"a folder ({ex.Message})");
        }
        try
        {
            if (File.Exists(full)) throw new IOException("it is a file");
            if (!create && !Directory.Exists(full)) throw new IOException("no such folder; create it first");
            Directory.CreateDirectory(full);
            // Created exclusively under an unpredictable name, as AtomicFile's temporary files are: nothing planted there is followed.
            // One byte, not an empty file: a full disk still makes empty files, and is better found before the work than after.
            string probe = Path.Combine(full, $".write-test-{Guid.NewGuid():N}");
            try
            {
                using var fs = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                fs.WriteByte(0);
                fs.Flush();
            }
            finally { File.Delete(probe); }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InvalidInputException($"{option} '{Printable(full)}' is not a writable folder ({InputFile.Reason(ex)})");
        }
        foreach (var file in files ?? [])
            if (AtomicFile.TargetProblem(Path.Combine(full, file)) is { } problem)
                throw InvalidInputException.MustBe(option, $"'{Printable(folder)}'",
                    $"a folder where {Printable(file)} is a regular file or absent; '{Printable(Path.Combine(full, file))}' is {problem}, which verify never replaces");
    }

    private static string Printable(string path) => Simulation.Files.InputFile.Printable(path);

    /// <summary>A file to be written later: a non-empty path that is not a folder, in a writable folder.</summary>
    /// <param name="createFolder">Create the file's folder when it is missing (false: the folder must exist).</param>
    public static void CheckFile(string file, string option, bool createFolder = true)
    {
        if (string.IsNullOrWhiteSpace(file)) throw InvalidInputException.MustBe(option, "''", "a file path");
        string full;
        try { full = Path.GetFullPath(file); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw InvalidInputException.MustBe(option, $"'{file}'", $"a file path ({ex.Message})");
        }
        if (Directory.Exists(full) || full.EndsWith(Path.DirectorySeparatorChar))
            throw InvalidInputException.MustBe(option, $"'{file}'", "a file path, not a folder");
        Check(Path.GetDirectoryName(full)!, option, create: createFolder);
        // The work is not started for a result that could only be refused at the end.
        if (AtomicFile.TargetProblem(full) is { } problem)
            throw InvalidInputException.MustBe(option, $"'{Printable(file)}'", $"a regular file or a new path; it is {problem}, which verify never replaces");
    }
}
