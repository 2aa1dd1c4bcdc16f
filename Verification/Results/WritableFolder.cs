namespace Verify.Verification.Results;

/// <summary>
/// Checks made before work starts, so that a finished computation is never lost to an output location
/// that cannot take it: the folder exists or can be made, is a folder, and takes a file. Messages name the
/// option the user gave.
/// </summary>
internal static class WritableFolder
{
    public static void Check(string folder, string option)
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
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, $".write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InvalidInputException($"{option} '{full}' is not a writable folder ({ex.Message})");
        }
    }

    /// <summary>A file to be written later: a non-empty path that is not a folder, in a writable folder.</summary>
    public static void CheckFile(string file, string option)
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
        Check(Path.GetDirectoryName(full)!, option);
    }
}
