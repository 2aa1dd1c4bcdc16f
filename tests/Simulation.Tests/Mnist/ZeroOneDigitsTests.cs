using Verify.Simulation.Data.Mnist;

namespace Verify.Simulation.Tests.Mnist;

public class ZeroOneDigitsTests
{
    [Test]
    public void Pools_the_zeros_and_ones_of_both_pairs_in_file_order()
    {
        using var t = new TempFolder();
        SyntheticMnist.WriteIdentifying(t.Path, 40, 20);
        var pool = ZeroOneDigits.Read(t.Path);

        var expected = Enumerable.Range(0, 60).Where(i => SyntheticMnist.DigitOf(i) <= 1).ToList();
        Assert.That(pool.Count, Is.EqualTo(expected.Count));
        Assert.That(pool.TotalRead, Is.EqualTo(60));
        Assert.That((pool.Zeros, pool.Ones), Is.EqualTo((15, 15)));
        for (int k = 0; k < pool.Count; k++)
        {
            int id = expected[k];
            Assert.That(pool.Image(k)[id], Is.EqualTo(255), $"pool entry {k} is image {id}");
            Assert.That(pool.Digits[k], Is.EqualTo(SyntheticMnist.DigitOf(id)));
        }
    }

    [Test]
    public void Either_pair_alone_is_enough_and_plain_wins_over_gz()
    {
        using var t = new TempFolder();
        SyntheticMnist.WriteRandom(t.Path, 10);
        Assert.That(MnistFiles.Find(t.Path).Select(p => p.Split), Is.EqualTo(new[] { "t10k" }));
        File.Copy(t.File("t10k-images-idx3-ubyte"), t.File("t10k-images-idx3-ubyte.gz"));
        Assert.That(MnistFiles.Find(t.Path).Single().ImagesPath, Does.EndWith("t10k-images-idx3-ubyte"));
        Assert.That(ZeroOneDigits.Read(t.Path).Count, Is.EqualTo(10), "the .gz copy is not counted twice");
    }

    [Test]
    public void Count_mismatch_between_images_and_labels_is_rejected()
    {
        using var t = new TempFolder();
        IdxWriter.WriteImages(t.File("train-images-idx3-ubyte"), 28, 28, new byte[3 * 784]);
        IdxWriter.WriteLabels(t.File("train-labels-idx1-ubyte"), [0, 1]);
        var ex = Assert.Throws<InvalidInputException>(() => ZeroOneDigits.Read(t.Path))!;
        Assert.That(ex.Message, Does.Contain("train-labels-idx1-ubyte").And.Contain("3 labels").And.Contain("found 2 labels"));
    }

    [Test]
    public void Missing_folder_empty_folder_and_half_pairs_are_rejected()
    {
        using var t = new TempFolder();
        var missing = Assert.Throws<InvalidInputException>(() => ZeroOneDigits.Load(t.File("absent")))!;
        Assert.That(missing.Message, Does.Contain("absent").And.Contain("no such folder"));

        var empty = Assert.Throws<InvalidInputException>(() => ZeroOneDigits.Load(t.Path))!;
        Assert.That(empty.Message, Does.Contain("t10k-images-idx3-ubyte").And.Contain("none of them"));

        IdxWriter.WriteImages(t.File("train-images-idx3-ubyte.gz"), 28, 28, new byte[784], gzip: true);
        var half = Assert.Throws<InvalidInputException>(() => ZeroOneDigits.Load(t.Path))!;
        Assert.That(half.Message, Does.Contain("train-labels-idx1-ubyte").And.Contain("without their labels"));
    }

    [Test]
    public void Images_that_are_not_28_by_28_and_labels_above_9_are_rejected()
    {
        using var t = new TempFolder();
        IdxWriter.WriteImages(t.File("t10k-images-idx3-ubyte"), 14, 14, new byte[2 * 196]);
        IdxWriter.WriteLabels(t.File("t10k-labels-idx1-ubyte"), [0, 1]);
        Assert.That(Assert.Throws<InvalidInputException>(() => ZeroOneDigits.Read(t.Path))!.Message, Does.Contain("28×28").And.Contain("14×14"));

        IdxWriter.WriteImages(t.File("t10k-images-idx3-ubyte"), 28, 28, new byte[2 * 784]);
        IdxWriter.WriteLabels(t.File("t10k-labels-idx1-ubyte"), [0, 12]);
        Assert.That(Assert.Throws<InvalidInputException>(() => ZeroOneDigits.Read(t.Path))!.Message, Does.Contain("label 12 at index 1"));
    }

    [Test]
    public void Load_reads_once_for_many_threads_and_again_after_the_files_change()
    {
        using var t = new TempFolder();
        SyntheticMnist.WriteRandom(t.Path, 20);
        var loaded = new ZeroOneDigits[16];
        Parallel.For(0, loaded.Length, i => loaded[i] = ZeroOneDigits.Load(t.Path));
        Assert.That(loaded.Distinct().Count(), Is.EqualTo(1), "one shared instance");
        Assert.That(ZeroOneDigits.Load(t.Path + "/"), Is.SameAs(loaded[0]), "keyed by the full path");

        SyntheticMnist.WriteRandom(t.Path, 30);
        Assert.That(ZeroOneDigits.Load(t.Path).Count, Is.EqualTo(30));
    }
}
