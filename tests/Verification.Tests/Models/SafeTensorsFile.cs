using System.Runtime.InteropServices;
using System.Text.Json;

namespace Verify.Verification.Tests.Models;

/// <summary>
/// A safetensors reader written from the format's description, independent of verify's writer: the 8-byte little-endian
/// header length, the header parsed by System.Text.Json, each tensor's bytes reinterpreted. The constructor checks what
/// the format requires: the header is a JSON object, every tensor's byte range matches its dtype and shape, and the ranges
/// cover the data without gaps or overlaps, to the file's last byte.
/// </summary>
internal sealed class SafeTensorsFile
{
    private readonly byte[] _bytes;
    private readonly int _data;
    private readonly Dictionary<string, (string DType, long[] Shape, int Begin, int End)> _tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);

    public SafeTensorsFile(string path)
    {
        _bytes = File.ReadAllBytes(path);
        Assert.That(BitConverter.IsLittleEndian, "the test reads little-endian numbers as they are");
        ulong n = BitConverter.ToUInt64(_bytes, 0);
        Assert.That(n, Is.LessThanOrEqualTo((ulong)_bytes.Length - 8), "the header fits in the file");
        HeaderLength = (int)n;
        _data = 8 + HeaderLength;
        Assert.That(_bytes[8], Is.EqualTo((byte)'{'), "the header is a JSON object");
        using var header = JsonDocument.Parse(_bytes.AsMemory(8, HeaderLength));
        foreach (var p in header.RootElement.EnumerateObject())
        {
            if (p.Name == "__metadata__")
            {
                foreach (var m in p.Value.EnumerateObject())
                {
                    Assert.That(m.Value.ValueKind, Is.EqualTo(JsonValueKind.String), $"metadata '{m.Name}' is a string");
                    _metadata[m.Name] = m.Value.GetString()!;
                }
                continue;
            }
            string dtype = p.Value.GetProperty("dtype").GetString()!;
            long[] shape = p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            Assert.That(offsets, Has.Length.EqualTo(2), p.Name);
            long size = dtype switch { "F64" => 8, "F32" => 4, "I8" => 1, _ => throw new AssertionException($"{p.Name}: unexpected dtype {dtype}") };
            Assert.That(offsets[1] - offsets[0], Is.EqualTo(size * shape.Aggregate(1L, (a, b) => a * b)), $"{p.Name}: bytes of dtype × shape");
            _tensors.Add(p.Name, (dtype, shape, (int)offsets[0], (int)offsets[1]));
        }
        long expected = 0;
        foreach (var t in _tensors.Values.OrderBy(t => t.Begin))
        {
            Assert.That(t.Begin, Is.EqualTo(expected), "tensors follow each other without gaps or overlaps");
            expected = t.End;
        }
        Assert.That(_data + expected, Is.EqualTo(_bytes.Length), "the tensors end where the file ends");
    }

    public int HeaderLength { get; }

    /// <summary>Offset of the first tensor byte in the file.</summary>
    public int DataStart => _data;

    public IReadOnlyDictionary<string, string> Metadata => _metadata;

    public IEnumerable<string> Names => _tensors.Keys;

    public string DType(string name) => _tensors[name].DType;

    public long[] Shape(string name) => _tensors[name].Shape;

    /// <summary>Where the tensor's bytes start, relative to the data.</summary>
    public int Begin(string name) => _tensors[name].Begin;

    public ReadOnlySpan<byte> Bytes(string name) => _bytes.AsSpan(_data + _tensors[name].Begin, _tensors[name].End - _tensors[name].Begin);

    /// <summary>An F64 or F32 tensor's elements as doubles (exactly: a float widens without rounding).</summary>
    public double[] Reals(string name) => DType(name) switch
    {
        "F64" => MemoryMarshal.Cast<byte, double>(Bytes(name)).ToArray(),
        "F32" => Array.ConvertAll(MemoryMarshal.Cast<byte, float>(Bytes(name)).ToArray(), f => (double)f),
        var d => throw new AssertionException($"{name} is {d}, not a real tensor"),
    };

    public sbyte[] Signs(string name)
    {
        Assert.That(DType(name), Is.EqualTo("I8"), name);
        return MemoryMarshal.Cast<byte, sbyte>(Bytes(name)).ToArray();
    }
}
