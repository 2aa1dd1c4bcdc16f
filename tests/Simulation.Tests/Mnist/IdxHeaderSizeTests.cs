using System.Buffers.Binary;
using System.Diagnostics;
using System.Numerics;
using Verify.Simulation.Data.Mnist;

namespace Verify.Simulation.Tests.Mnist;

/// <summary>
/// Headers that promise more than can exist: the size is computed without overflow and reported as it
/// is, and nothing of that size is allocated (the promise is checked against the file first).
/// </summary>
public class IdxHeaderSizeTests
{
    private static byte[] ImagesHeader(int count, int rows, int cols)
    {
        var h = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(h, 0x00000803);
        BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(12), cols);
        return h;
    }

    /// <summary>The exception thrown by <paramref name="read"/> and the bytes this thread allocated meanwhile.</summary>
    private static (InvalidInputException Error, long Allocated) Measure(Action read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try { read(); }
        catch (InvalidInputException ex) { return (ex, GC.GetAllocatedBytesForCurrentThread() - before); }
        Assert.Fail("expected an InvalidInputException");
        throw new UnreachableException();
    }

    [TestCase(int.MaxValue, int.MaxValue, int.MaxValue)]   // overflows a long as well as an int
    [TestCase(3_000_000, 28, 28)]                          // 2 352 000 000: negative in int arithmetic
    [TestCase(70_000, 65_536, 65_536)]
    public void An_overflowing_image_header_reports_the_true_size_without_allocating(int count, int rows, int cols)
    {
        using var t = new TempFolder();
        File.WriteAllBytes(t.File("huge"), [.. ImagesHeader(count, rows, cols), 1, 2, 3]);
        string size = (new BigInteger(count) * rows * cols).ToString();

        var (ex, allocated) = Measure(() => IdxReader.ReadImages(t.File("huge")));
        Assert.That(ex.Message, Is.EqualTo($"{t.File("huge")}: expected an IDX file whose data fits in memory (at most {Array.MaxLength} bytes), " +
            $"found a header promising {count} images of {rows}×{cols} pixels = {size} bytes (the header is corrupt, or the file is not MNIST)"));
        Assert.That(allocated, Is.LessThan(1 << 20), "no buffer of the promised size");
    }

    [Test]
    public void An_overflowing_label_count_is_reported()
    {
        using var t = new TempFolder();
        var h = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(h, 0x00000801);
        BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(4), int.MaxValue);
        File.WriteAllBytes(t.File("labels"), h);
        var (ex, allocated) = Measure(() => IdxReader.ReadLabels(t.File("labels")));
        Assert.That(ex.Message, Does.Contain($"a header promising {int.MaxValue} labels = {int.MaxValue} bytes"));
        Assert.That(allocated, Is.LessThan(1 << 20));
    }

    [Test]
    public void Zero_images_of_an_impossible_size_are_rejected()
    {
        using var t = new TempFolder();
        File.WriteAllBytes(t.File("empty"), ImagesHeader(0, int.MaxValue, 2));
        Assert.That(Assert.Throws<InvalidInputException>(() => IdxReader.ReadImages(t.File("empty")))!.Message,
            Does.Contain($"found a header promising {int.MaxValue}×2 = {2L * int.MaxValue} pixels per image"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void A_large_promise_over_little_data_is_truncation_without_a_large_buffer(bool gzip)
    {
        // 1 000 000 000 bytes fit in an array, so this is a plain truncation: it must not allocate them first.
        using var t = new TempFolder();
        IdxWriter.Write(t.File("short"), [.. ImagesHeader(1_000_000, 1000, 1), .. new byte[5000]], gzip);
        var (ex, allocated) = Measure(() => IdxReader.ReadImages(t.File("short")));
        Assert.That(ex.Message, Does.Contain("expected 1000000016 bytes for 1000000 images of 1000×1 pixels, found only 5016 bytes (the file is truncated)"));
        Assert.That(allocated, Is.LessThan(16 << 20), "the buffer follows the data that arrives, not the header");
    }

    [Test]
    public void Trailing_data_after_gzip_content_is_counted()
    {
        using var t = new TempFolder();
        IdxWriter.Write(t.File("lab.gz"), [.. IdxWriter.EncodeLabels([1, 2, 3]), .. new byte[100_000]], gzip: true);
        Assert.That(Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("lab.gz")))!.Message,
            Does.Contain("exactly 11 bytes for 3 labels, found 100011 bytes (100000 bytes of trailing data)"));
    }

    [Test]
    public void Large_gzip_content_grows_to_the_exact_size()
    {
        // More than the first 1 MiB buffer: the buffer is grown, and ends exactly as long as the data.
        using var t = new TempFolder();
        var pixels = new byte[3_000 * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 31 % 251);
        IdxWriter.WriteImages(t.File("img.gz"), 28, 28, pixels, gzip: true);
        var images = IdxReader.ReadImages(t.File("img.gz"));
        Assert.That((images.Count, images.Pixels.Length), Is.EqualTo((3_000, pixels.Length)));
        Assert.That(images.Pixels, Is.EqualTo(pixels));
    }

    [Test]
    public void An_empty_file_is_truncated_not_an_exception_of_another_kind()
    {
        using var t = new TempFolder();
        File.WriteAllBytes(t.File("empty"), []);
        Assert.That(Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("empty")))!.Message,
            Does.Contain("expected a 4-byte magic number, found only 0 bytes"));
    }
}
