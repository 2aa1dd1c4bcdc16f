using Verify.Simulation.Data.Mnist;

namespace Verify.Simulation.Tests.Mnist;

public class DownsamplingTests
{
    /// <summary>Pixel (r, c) = r + c: the mean over a b×b block starting at (bR, bC) is bR + bC + (b − 1).</summary>
    private static byte[] Ramp()
    {
        var image = new byte[784];
        for (int r = 0; r < 28; r++) for (int c = 0; c < 28; c++) image[r * 28 + c] = (byte)(r + c);
        return image;
    }

    [TestCase(7, 4)]
    [TestCase(14, 2)]
    [TestCase(28, 1)]
    public void Block_means_of_a_ramp(int k, int block)
    {
        var target = new double[k * k];
        Downsampling.Apply(Ramp(), k, target);
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++)
                Assert.That(target[r * k + c], Is.EqualTo((block * r + block * c + (block - 1)) / 255.0).Within(1e-15), $"({r}, {c})");
    }

    [Test]
    public void Hand_computed_blocks()
    {
        // One white pixel at row 5, column 9: in block (1, 2) of the 4×4 grid and block (2, 4) of the 2×2 grid.
        var image = new byte[784];
        image[5 * 28 + 9] = 255;
        var k7 = new double[49];
        Downsampling.Apply(image, 7, k7);
        Assert.That(k7[1 * 7 + 2], Is.EqualTo(1.0 / 16));
        Assert.That(k7.Sum(), Is.EqualTo(1.0 / 16));
        var k14 = new double[196];
        Downsampling.Apply(image, 14, k14);
        Assert.That(k14[2 * 14 + 4], Is.EqualTo(0.25));
        Assert.That(k14.Sum(), Is.EqualTo(0.25));

        // Top-left 2×2 block of 10, 20, 30, 40 → 25/255.
        image = new byte[784];
        (image[0], image[1], image[28], image[29]) = (10, 20, 30, 40);
        Downsampling.Apply(image, 14, k14);
        Assert.That(k14[0], Is.EqualTo(25 / 255.0).Within(1e-15));
        Assert.That(k14[1..].All(v => v == 0));
    }

    [Test]
    public void Unsupported_resolution_is_rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Downsampling.Apply(new byte[784], 10, new double[100]));
}
