using System.Runtime.InteropServices;
using System.Text.Json;

namespace Verify.Verification.Models;

/// <summary>
/// One tensor of a safetensors file: its name, shape and elements in row-major order (the first
/// <see cref="Count"/> elements of <paramref name="Elements"/>, which may be longer, as a <c>Dense</c>'s array may be).
/// The element type gives the dtype: double F64, float F32, sbyte I8.
/// </summary>
internal sealed record SafeTensor(string Name, long[] Shape, Array Elements)
{
    public long Count => Shape.Aggregate(1L, (a, b) => checked(a * b));

    public string DType => Elements switch
    {
        double[] => "F64",
        float[] => "F32",
        sbyte[] => "I8",
        _ => throw new ArgumentException($"no safetensors dtype for {Elements.GetType().Name}"),
    };

    public int ElementSize => Elements switch { double[] => 8, float[] => 4, _ => 1 };

    public long ByteLength => checked(Count * ElementSize);
}

/// <summary>
/// Writes the safetensors format (https://github.com/huggingface/safetensors), a few lines of it, with no package:
/// an unsigned 64-bit little-endian header length N, then N bytes of UTF-8 JSON
/// <c>{"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}, …}</c>,
/// padded with spaces to a multiple of 8 so that every tensor starts 8-byte aligned, then the tensors' bytes,
/// little-endian, back to back in the order given (offsets relative to the end of the header).
/// </summary>
internal static class SafeTensors
{
    /// <summary>Elements written per slice: a tensor of any size goes out in pieces, never as one array of bytes.</summary>
    private const int SliceElements = 1 << 18;

    /// <summary>The header's bytes, padded: its length is the file's first 8 bytes.</summary>
    public static byte[] Header(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "__metadata__" };
        foreach (var t in tensors)
            if (!names.Add(t.Name)) throw new ArgumentException($"tensor name '{t.Name}' used twice or reserved");
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata) w.WriteString(key, value);
            w.WriteEndObject();
            long offset = 0;
            foreach (var t in tensors)
            {
                if (t.Count > t.Elements.Length) throw new ArgumentException($"tensor '{t.Name}': shape [{string.Join(", ", t.Shape)}] needs {t.Count} elements, the array has {t.Elements.Length}");
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType);
                w.WriteStartArray("shape");
                foreach (long s in t.Shape) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                offset += t.ByteLength;
                w.WriteNumberValue(offset);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        int length = (int)buffer.Length;
        int padded = (length + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.GetBuffer().AsSpan(0, length).CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }

    /// <summary>The file's size in bytes.</summary>
    public static long Size(IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
        => 8 + Header(tensors, metadata).Length + tensors.Sum(t => t.ByteLength);

    public static void Write(Stream stream, IReadOnlyList<SafeTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors files are little-endian; this machine is not");
        var header = Header(tensors, metadata);
        Span<byte> length = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (var t in tensors)
        {
            switch (t.Elements)
            {
                case double[] d: WriteElements<double>(stream, d, t.Count); break;
                case float[] f: WriteElements<float>(stream, f, t.Count); break;
                case sbyte[] b: WriteElements<sbyte>(stream, b, t.Count); break;
                default: throw new ArgumentException($"no safetensors dtype for {t.Elements.GetType().Name}");
            }
        }
    }

    private static void WriteElements<T>(Stream stream, T[] elements, long count) where T : unmanaged
    {
        for (long start = 0; start < count; start += SliceElements)
        {
            int length = (int)Math.Min(SliceElements, count - start);
            stream.Write(MemoryMarshal.AsBytes(elements.AsSpan((int)start, length)));
        }
    }
}
