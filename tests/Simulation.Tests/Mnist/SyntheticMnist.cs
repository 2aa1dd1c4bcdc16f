using Verify.Simulation.Data.Mnist;

namespace Verify.Simulation.Tests.Mnist;

/// <summary>
/// Writes small MNIST folders whose images identify themselves: image i of the whole folder has a single
/// pixel 255 at position i (row i / 28, column i % 28), so at k = 28 with unit norm a preprocessed row is
/// the basis vector e_i and its argmax says which image (and therefore which digit) it came from,
/// independently of the code under test.
/// </summary>
internal static class SyntheticMnist
{
    /// <summary>Digits of image i: i % 4, so half of the images are 0s and 1s.</summary>
    public static byte DigitOf(int i) => (byte)(i % 4);

    /// <summary>A train pair with images [0, trainCount) (plain) and a t10k pair with the next testCount (gzip).</summary>
    public static void WriteIdentifying(string dir, int trainCount, int testCount)
    {
        if (trainCount + testCount > 784) throw new ArgumentException("at most 784 self-identifying images");
        WritePair(dir, "train", 0, trainCount, gzip: false);
        WritePair(dir, "t10k", trainCount, testCount, gzip: true);
    }

    public static int ZeroOneCount(int total) => Enumerable.Range(0, total).Count(i => DigitOf(i) <= 1);

    private static void WritePair(string dir, string split, int first, int count, bool gzip)
    {
        var pixels = new byte[count * 784];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            pixels[i * 784 + first + i] = 255;
            labels[i] = DigitOf(first + i);
        }
        string suffix = gzip ? ".gz" : "";
        IdxWriter.WriteImages(Path.Combine(dir, MnistFiles.ImagesName(split) + suffix), 28, 28, pixels, gzip);
        IdxWriter.WriteLabels(Path.Combine(dir, MnistFiles.LabelsName(split) + suffix), labels, gzip);
    }

    /// <summary>A t10k pair of random-looking 0/1 images (pixels from a fixed LCG; the four corner rows stay 0).</summary>
    public static void WriteRandom(string dir, int count, uint seed = 12345)
    {
        var pixels = new byte[count * 784];
        var labels = new byte[count];
        uint state = seed;
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 2);
            for (int p = 4 * 28; p < 784 - 4 * 28; p++)
            {
                state = state * 1664525 + 1013904223;
                pixels[i * 784 + p] = (byte)(state >> 24);
            }
        }
        IdxWriter.WriteImages(Path.Combine(dir, MnistFiles.ImagesName("t10k")), 28, 28, pixels);
        IdxWriter.WriteLabels(Path.Combine(dir, MnistFiles.LabelsName("t10k")), labels);
    }
}
