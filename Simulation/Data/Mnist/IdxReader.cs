using System.Buffers.Binary;
using System.IO.Compression;

namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// Reads MNIST IDX files, plain or gzip-compressed. Gzip is recognized by its 0x1f 0x8b header, not by
/// the file name, because people rename and decompress files by hand. Every file must have exactly the
/// length its header promises: .NET's GZipStream returns a truncated stream without complaint, so the
/// length check is what turns a partial download into an error instead of a silently smaller dataset.
/// </summary>
internal static class IdxReader
{
    public static IdxImages ReadImages(string path)
    {
        byte[] bytes = ReadAll(path);
        Magic(path, bytes, IdxFormat.ImagesMagic);
        if (bytes.Length < IdxFormat.ImagesHeaderBytes)
            throw Truncated(path, $"a {IdxFormat.ImagesHeaderBytes}-byte header", bytes.Length);
        int count = Dimension(path, bytes, 4, "image count");
        int rows = Dimension(path, bytes, 8, "row count");
        int cols = Dimension(path, bytes, 12, "column count");
        long expected = IdxFormat.ImagesHeaderBytes + (long)count * rows * cols;
        CheckLength(path, bytes.Length, expected, $"{count} images of {rows}×{cols} pixels");
        return new IdxImages(count, rows, cols, bytes[IdxFormat.ImagesHeaderBytes..]);
    }

    public static byte[] ReadLabels(string path)
    {
        byte[] bytes = ReadAll(path);
        Magic(path, bytes, IdxFormat.LabelsMagic);
        if (bytes.Length < IdxFormat.LabelsHeaderBytes)
            throw Truncated(path, $"an {IdxFormat.LabelsHeaderBytes}-byte header", bytes.Length);
        int count = Dimension(path, bytes, 4, "label count");
        CheckLength(path, bytes.Length, IdxFormat.LabelsHeaderBytes + (long)count, $"{count} labels");
        return bytes[IdxFormat.LabelsHeaderBytes..];
    }

    /// <summary>The file's content, decompressed when it starts with the gzip header.</summary>
    public static byte[] ReadAll(string path)
    {
        byte[] raw;
        try { raw = File.ReadAllBytes(path); }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw InvalidInputException.InFile(path, "an IDX file", "no such file");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw InvalidInputException.InFile(path, "a readable file", $"an error reading it ({ex.Message})");
        }
        if (!IsGzip(raw)) return raw;
        try
        {
            using var gz = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            var output = new MemoryStream(raw.Length * 4);
            gz.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw InvalidInputException.InFile(path, "valid gzip data (the file starts with the gzip header 1f 8b)", $"corrupt data ({ex.Message})");
        }
    }

    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    private static void Magic(string path, byte[] bytes, int expected)
    {
        if (bytes.Length < 4) throw Truncated(path, "a 4-byte magic number", bytes.Length);
        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (magic != expected)
        {
            string hint = magic is IdxFormat.ImagesMagic or IdxFormat.LabelsMagic ? " — images and labels files swapped?" : "";
            throw InvalidInputException.InFile(path, $"magic number {IdxFormat.Describe(expected)}", $"magic number {IdxFormat.Describe(magic)}{hint}");
        }
    }

    private static int Dimension(string path, byte[] bytes, int offset, string what)
    {
        int v = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
        if (v < 0) throw InvalidInputException.InFile(path, $"a {what} ≥ 0 in the header", $"{(uint)v}");
        return v;
    }

    private static void CheckLength(string path, long actual, long expected, string content)
    {
        if (actual < expected) throw Truncated(path, $"{expected} bytes for {content}", actual);
        if (actual > expected)
            throw InvalidInputException.InFile(path, $"exactly {expected} bytes for {content}", $"{actual} bytes ({actual - expected} bytes of trailing data)");
    }

    private static InvalidInputException Truncated(string path, string expected, long actual)
        => new(path, expected, $"only {actual} bytes (the file is truncated)");
}
