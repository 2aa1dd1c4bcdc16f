using System.Buffers.Binary;
using System.IO.Compression;
using Verify.Simulation.Data.Mnist;

namespace Verify.Simulation.Tests.Mnist;

public class IdxReaderTests
{
    private static readonly byte[] Pixels = Enumerable.Range(0, 3 * 2 * 4).Select(i => (byte)(i * 11)).ToArray();   // 3 images of 2×4
    private static readonly byte[] Labels = [7, 0, 255, 1];

    [TestCase(false)]
    [TestCase(true)]
    public void Images_and_labels_round_trip(bool gzip)
    {
        using var t = new TempFolder();
        IdxWriter.WriteImages(t.File("img"), 2, 4, Pixels, gzip);
        IdxWriter.WriteLabels(t.File("lab"), Labels, gzip);
        Assert.That(IdxReader.IsGzip(File.ReadAllBytes(t.File("img"))), Is.EqualTo(gzip));

        var images = IdxReader.ReadImages(t.File("img"));
        Assert.That((images.Count, images.Rows, images.Cols), Is.EqualTo((3, 2, 4)));
        Assert.That(images.Pixels, Is.EqualTo(Pixels));
        Assert.That(images.Image(1).ToArray(), Is.EqualTo(Pixels[8..16]));
        Assert.That(IdxReader.ReadLabels(t.File("lab")), Is.EqualTo(Labels));
    }

    [Test]
    public void Header_bytes_are_the_standard_big_endian_layout()
    {
        byte[] encoded = IdxWriter.EncodeImages(2, 4, Pixels);
        Assert.That(encoded[..16], Is.EqualTo(new byte[] { 0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4 }));
        Assert.That(IdxWriter.EncodeLabels(Labels)[..8], Is.EqualTo(new byte[] { 0, 0, 8, 1, 0, 0, 0, 4 }));
    }

    [Test]
    public void Gzip_is_recognized_by_content_not_by_name()
    {
        using var t = new TempFolder();
        IdxWriter.WriteLabels(t.File("compressed.idx"), Labels, gzip: true);
        IdxWriter.WriteLabels(t.File("plain.gz"), Labels, gzip: false);
        Assert.That(IdxReader.ReadLabels(t.File("compressed.idx")), Is.EqualTo(Labels));
        Assert.That(IdxReader.ReadLabels(t.File("plain.gz")), Is.EqualTo(Labels));
    }

    [Test]
    public void Wrong_magic_names_file_expected_and_found()
    {
        using var t = new TempFolder();
        IdxWriter.WriteLabels(t.File("labels-as-images"), Labels);
        var ex = Assert.Throws<InvalidInputException>(() => IdxReader.ReadImages(t.File("labels-as-images")))!;
        Assert.That(ex.Field, Is.EqualTo(t.File("labels-as-images")));
        Assert.That(ex.Message, Does.Contain("labels-as-images").And.Contain("0x00000803").And.Contain("found magic number 0x00000801"));

        File.WriteAllBytes(t.File("junk"), [0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0]);
        Assert.That(Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("junk")))!.Message,
            Does.Contain("0x00000801").And.Contain("0x12345678"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Truncated_images_are_rejected(bool gzip)
    {
        using var t = new TempFolder();
        byte[] full = IdxWriter.EncodeImages(2, 4, Pixels);
        IdxWriter.Write(t.File("img"), full[..^5], gzip);
        var ex = Assert.Throws<InvalidInputException>(() => IdxReader.ReadImages(t.File("img")))!;
        Assert.That(ex.Message, Does.Contain("img").And.Contain($"{full.Length} bytes for 3 images of 2×4").And.Contain($"only {full.Length - 5} bytes"));
    }

    [Test]
    public void Truncated_gzip_stream_is_rejected()
    {
        // GZipStream returns a short stream without an exception here: only the length check catches it.
        using var t = new TempFolder();
        IdxWriter.WriteImages(t.File("img.gz"), 2, 4, Pixels, gzip: true);
        byte[] gz = File.ReadAllBytes(t.File("img.gz"));
        File.WriteAllBytes(t.File("img.gz"), gz[..(gz.Length / 2)]);
        Assert.Throws<InvalidInputException>(() => IdxReader.ReadImages(t.File("img.gz")));
    }

    [Test]
    public void Corrupt_gzip_is_rejected()
    {
        using var t = new TempFolder();
        File.WriteAllBytes(t.File("bad.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        var ex = Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("bad.gz")))!;
        Assert.That(ex.Message, Does.Contain("bad.gz"));
    }

    [Test]
    public void Truncated_labels_and_headers_are_rejected()
    {
        using var t = new TempFolder();
        byte[] full = IdxWriter.EncodeLabels(Labels);
        File.WriteAllBytes(t.File("lab"), full[..^1]);
        Assert.That(Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("lab")))!.Message,
            Does.Contain("12 bytes for 4 labels").And.Contain("only 11 bytes"));
        File.WriteAllBytes(t.File("lab"), full[..6]);
        Assert.That(Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("lab")))!.Message, Does.Contain("8-byte header"));
        File.WriteAllBytes(t.File("lab"), full[..2]);
        Assert.That(Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("lab")))!.Message, Does.Contain("magic number"));
        File.WriteAllBytes(t.File("img"), IdxWriter.EncodeImages(2, 4, Pixels)[..12]);
        Assert.That(Assert.Throws<InvalidInputException>(() => IdxReader.ReadImages(t.File("img")))!.Message, Does.Contain("16-byte header"));
    }

    [Test]
    public void Trailing_data_is_rejected()
    {
        using var t = new TempFolder();
        File.WriteAllBytes(t.File("lab"), [.. IdxWriter.EncodeLabels(Labels), 0, 0]);
        Assert.That(Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("lab")))!.Message, Does.Contain("2 bytes of trailing data"));
    }

    [Test]
    public void Negative_dimension_is_rejected()
    {
        using var t = new TempFolder();
        byte[] bytes = IdxWriter.EncodeLabels(Labels);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), -1);
        File.WriteAllBytes(t.File("lab"), bytes);
        Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("lab")));
    }

    [Test]
    public void Missing_and_unreadable_files_are_rejected()
    {
        using var t = new TempFolder();
        var missing = Assert.Throws<InvalidInputException>(() => IdxReader.ReadImages(t.File("nope")))!;
        Assert.That(missing.Message, Does.Contain("nope").And.Contain("no such file"));
        // A folder where a file should be cannot be read as one.
        Directory.CreateDirectory(t.File("dir"));
        var unreadable = Assert.Throws<InvalidInputException>(() => IdxReader.ReadLabels(t.File("dir")))!;
        Assert.That(unreadable.Message, Does.Contain("dir"));
    }

    [Test]
    public void The_exception_is_an_argument_exception()
        => Assert.That(InvalidInputException.InFile("f", "e", "x"), Is.InstanceOf<ArgumentException>());
}
