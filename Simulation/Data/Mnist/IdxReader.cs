using System.Buffers.Binary;
using System.IO.Compression;
using Verify.Simulation.Files;

namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// Reads MNIST IDX files, plain or gzip-compressed. Gzip is recognized by its 0x1f 0x8b header, not by
/// the file name, because people rename and decompress files by hand. Every file must have exactly the
/// length its header promises: .NET's GZipStream returns a truncated stream without complaint, so the
/// length check is what turns a partial download into an error instead of a silently smaller dataset.
/// <para>
/// The header is read and checked before the data. Its sizes are multiplied in 128-bit arithmetic
/// (count × rows × cols of three int32 overflows even a long), a promise larger than one .NET array can
/// hold is an error that states the true size, and the data buffer never grows beyond what the file
/// actually delivers (a plain file's length is compared with the promise before anything is allocated).
/// A corrupt header therefore costs an error message naming the file, never an OutOfMemoryException
/// or a negative byte count.
/// </para>
/// <para>
/// Only a regular file is opened, and only up to the size of MNIST's largest file of its kind
/// (<see cref="InputLimits.IdxImages"/>, <see cref="InputLimits.IdxLabels"/>): a FIFO would block the
/// open and a device never ends.
/// </para>
/// </summary>
internal static class IdxReader
{
    /// <summary>The most data bytes one file may hold: verify keeps the data of a file in one byte array.</summary>
    public static long MaxDataBytes => Array.MaxLength;

    public static IdxImages ReadImages(string path)
    {
        using var input = IdxInput.Open(path, "IDX images file", InputLimits.IdxImages);
        Span<byte> header = stackalloc byte[IdxFormat.ImagesHeaderBytes];
        ReadHeader(input, header, IdxFormat.ImagesMagic);
        int count = Dimension(path, header, 4, "image count");
        int rows = Dimension(path, header, 8, "row count");
        int cols = Dimension(path, header, 12, "column count");
        string content = $"{count} images of {rows}×{cols} pixels";
        int dataBytes = Fits(path, (Int128)count * rows * cols, content);
        if ((long)rows * cols > MaxDataBytes)
            throw InvalidInputException.InFile(path, $"images of at most {MaxDataBytes} pixels each",
                $"a header promising {rows}×{cols} = {(long)rows * cols} pixels per image (the header is corrupt, or the file is not MNIST)");
        return new IdxImages(count, rows, cols, ReadData(input, dataBytes, content));
    }

    public static byte[] ReadLabels(string path)
    {
        using var input = IdxInput.Open(path, "IDX labels file", InputLimits.IdxLabels);
        Span<byte> header = stackalloc byte[IdxFormat.LabelsHeaderBytes];
        ReadHeader(input, header, IdxFormat.LabelsMagic);
        int count = Dimension(path, header, 4, "label count");
        string content = $"{count} labels";
        return ReadData(input, Fits(path, count, content), content);
    }

    public static bool IsGzip(ReadOnlySpan<byte> bytes) => bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;

    /// <summary>The magic number, checked as soon as it is read, then the rest of the header.</summary>
    private static void ReadHeader(IdxInput input, Span<byte> header, int expectedMagic)
    {
        if (input.Fill(header[..4]) < 4) throw Truncated(input.Path, "a 4-byte magic number", input.Consumed);
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            string hint = magic is IdxFormat.ImagesMagic or IdxFormat.LabelsMagic ? " — images and labels files swapped?" : "";
            throw InvalidInputException.InFile(input.Path, $"magic number {IdxFormat.Describe(expectedMagic)}", $"magic number {IdxFormat.Describe(magic)}{hint}");
        }
        string size = header.Length == IdxFormat.ImagesHeaderBytes ? $"a {header.Length}-byte header" : $"an {header.Length}-byte header";
        if (input.Fill(header[4..]) < header.Length - 4) throw Truncated(input.Path, size, input.Consumed);
    }

    private static int Dimension(string path, ReadOnlySpan<byte> header, int offset, string what)
    {
        int v = BinaryPrimitives.ReadInt32BigEndian(header[offset..]);
        if (v < 0) throw InvalidInputException.InFile(path, $"a {what} ≥ 0 in the header", $"{(uint)v}");
        return v;
    }

    /// <summary>The data size the header promises, when one array can hold it; otherwise an error with the true size.</summary>
    private static int Fits(string path, Int128 dataBytes, string content)
    {
        if (dataBytes > MaxDataBytes)
            throw InvalidInputException.InFile(path, $"an IDX file whose data fits in memory (at most {MaxDataBytes} bytes)",
                $"a header promising {content} = {dataBytes} bytes (the header is corrupt, or the file is not MNIST)");
        return (int)dataBytes;
    }

    /// <summary>Exactly <paramref name="count"/> data bytes, with nothing after them.</summary>
    private static byte[] ReadData(IdxInput input, int count, string content)
    {
        long expected = input.Consumed + count;
        if (input.PlainLength is long length)
            CheckLength(input.Path, length, expected, content);   // before allocating: the length is known

        // A gzip stream's length is unknown until it is read: grow the buffer with what arrives, so that a
        // header promising 2 GB over a few bytes of data allocates a few bytes.
        var data = new byte[Math.Min(count, input.PlainLength is null ? 1 << 20 : count)];
        int filled = 0;
        while (true)
        {
            filled += input.Fill(data.AsSpan(filled));
            if (filled < data.Length) throw Truncated(input.Path, $"{expected} bytes for {content}", input.Consumed);
            if (filled == count) break;
            Array.Resize(ref data, (int)Math.Min(count, 2L * data.Length));
        }
        long trailing = input.CountRemaining();
        if (trailing > 0) CheckLength(input.Path, expected + trailing, expected, content);
        return data;
    }

    private static void CheckLength(string path, long actual, long expected, string content)
    {
        if (actual < expected) throw Truncated(path, $"{expected} bytes for {content}", actual);
        if (actual > expected)
            throw InvalidInputException.InFile(path, $"exactly {expected} bytes for {content}", $"{actual} bytes ({actual - expected} bytes of trailing data)");
    }

    private static InvalidInputException Truncated(string path, string expected, long actual)
        => InvalidInputException.InFile(path, expected, $"only {actual} bytes (the file is truncated)");

    /// <summary>
    /// The file's bytes, decompressed when it starts with the gzip header, counted as they are consumed.
    /// Every failure of the file system or of the gzip data becomes an error naming the file.
    /// </summary>
    private sealed class IdxInput : IDisposable
    {
        /// <summary>Trailing bytes are counted up to here: enough to report them, not a reason to inflate a gzip bomb.</summary>
        private const long TrailingCountLimit = 1L << 30;

        private readonly Stream _stream;

        private IdxInput(string path, Stream stream, long? plainLength)
        {
            Path = path;
            _stream = stream;
            PlainLength = plainLength;
        }

        public string Path { get; }
        /// <summary>The file's length when it is not compressed (then the data size is known up front).</summary>
        public long? PlainLength { get; }
        /// <summary>Bytes read so far (decompressed bytes for gzip).</summary>
        public long Consumed { get; private set; }

        /// <summary>The file as a regular file of at most <paramref name="maxBytes"/> (<see cref="InputLimits"/>): a FIFO or a device is refused before it is opened.</summary>
        public static IdxInput Open(string path, string what, long maxBytes)
        {
            FileStream file;
            try { file = InputFile.OpenRead(path, what, maxBytes); }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                throw InvalidInputException.InFile(path, "an IDX file", "no such file");
            }
            catch (Exception ex) when (ex is (IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException) and not InvalidInputException)
            {
                throw InvalidInputException.InFile(path, "a readable file", $"an error reading it ({ex.Message})");
            }
            try
            {
                // A pipe or a device has no length and cannot be rewound after the gzip test.
                if (!file.CanSeek) throw InvalidInputException.InFile(path, "a regular file", "a pipe or device");
                Span<byte> start = stackalloc byte[2];
                int n = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
                file.Position = 0;
                return IsGzip(start[..n])
                    ? new IdxInput(path, new GZipStream(file, CompressionMode.Decompress), null)
                    : new IdxInput(path, file, file.Length);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                file.Dispose();
                throw InvalidInputException.InFile(path, "a readable file", $"an error reading it ({ex.Message})");
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>Reads until <paramref name="buffer"/> is full or the data ends; returns how many bytes came.</summary>
        public int Fill(Span<byte> buffer)
        {
            int n;
            try { n = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false); }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException) { throw Translate(ex); }
            Consumed += n;
            return n;
        }

        /// <summary>How many bytes remain after what was read (at most <see cref="TrailingCountLimit"/>), read and discarded.</summary>
        public long CountRemaining()
        {
            if (PlainLength is long length) return Math.Max(0, length - Consumed);
            var scratch = new byte[1 << 16];
            long total = 0;
            while (total < TrailingCountLimit)
            {
                int n = Fill(scratch);
                total += n;
                if (n < scratch.Length) break;
            }
            return total;
        }

        public void Dispose() => _stream.Dispose();

        private InvalidInputException Translate(Exception ex) => ex is InvalidDataException
            ? InvalidInputException.InFile(Path, "valid gzip data (the file starts with the gzip header 1f 8b)", $"corrupt data ({ex.Message})")
            : InvalidInputException.InFile(Path, "a readable file", $"an error reading it ({ex.Message})");
    }
}
