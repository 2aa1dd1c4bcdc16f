using System.Collections.Concurrent;

namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// Every 0 and 1 found in an MNIST folder, all pairs pooled, in file order (train before t10k):
/// 28×28 unsigned-byte images and their digit (0 or 1). Other digits are dropped on reading.
/// </summary>
public sealed class ZeroOneDigits
{
    public const int Side = 28;
    public const int PixelsPerImage = Side * Side;

    private static readonly ConcurrentDictionary<string, Lazy<ZeroOneDigits>> Cache = new();

    private ZeroOneDigits(string directory, byte[] pixels, byte[] digits, bool[] fromTrainPair, int totalRead)
    {
        Directory = directory;
        Pixels = pixels;
        Digits = digits;
        FromTrainPair = fromTrainPair;
        TotalRead = totalRead;
        Zeros = digits.Count(d => d == 0);
    }

    public string Directory { get; }
    /// <summary>Count × 784 bytes, image after image.</summary>
    public byte[] Pixels { get; }
    /// <summary>The digit of each image, 0 or 1.</summary>
    public byte[] Digits { get; }
    /// <summary>Whether each image came from the "train" pair (else from "t10k"): the standard split.</summary>
    public bool[] FromTrainPair { get; }
    /// <summary>How many images of all ten digits the folder held.</summary>
    public int TotalRead { get; }
    public int Count => Digits.Length;
    public int Zeros { get; }
    public int Ones => Count - Zeros;
    public ReadOnlySpan<byte> Image(int i) => Pixels.AsSpan(i * PixelsPerImage, PixelsPerImage);

    /// <summary>
    /// The digits of <paramref name="directory"/>, read once per process: a sweep realizes hundreds of
    /// datasets from the same files. The key includes each file's length and write time so a folder
    /// refreshed in between (verify data mnist --force) is read again. Safe to call from many threads.
    /// </summary>
    public static ZeroOneDigits Load(string directory)
    {
        string full = Path.GetFullPath(directory);
        var pairs = MnistFiles.Find(full);
        string key = string.Join("|", pairs.SelectMany(p => new[] { p.ImagesPath, p.LabelsPath }).Select(Stamp));
        var lazy = Cache.GetOrAdd(key, _ => new Lazy<ZeroOneDigits>(() => Read(full, pairs), LazyThreadSafetyMode.ExecutionAndPublication));
        try { return lazy.Value; }
        catch
        {
            // A failed read is not remembered: the user may fix the file and try again in the same process.
            Cache.TryRemove(new KeyValuePair<string, Lazy<ZeroOneDigits>>(key, lazy));
            throw;
        }
    }

    /// <summary>Reads the folder without the cache.</summary>
    public static ZeroOneDigits Read(string directory) => Read(Path.GetFullPath(directory), MnistFiles.Find(directory));

    private static ZeroOneDigits Read(string directory, IReadOnlyList<MnistPair> pairs)
    {
        var pixels = new List<byte[]>();
        var digits = new List<byte>();
        var fromTrain = new List<bool>();
        int total = 0;
        foreach (var pair in pairs)
        {
            var images = IdxReader.ReadImages(pair.ImagesPath);
            byte[] labels = IdxReader.ReadLabels(pair.LabelsPath);
            if (images.Count != labels.Length)
                throw InvalidInputException.InFile(pair.LabelsPath, $"{images.Count} labels, one per image in {Path.GetFileName(pair.ImagesPath)}", $"{labels.Length} labels");
            if (images.Rows != Side || images.Cols != Side)
                throw InvalidInputException.InFile(pair.ImagesPath, $"{Side}×{Side} images (MNIST)", $"{images.Rows}×{images.Cols} images");
            for (int i = 0; i < labels.Length; i++)
            {
                if (labels[i] > 9)
                    throw InvalidInputException.InFile(pair.LabelsPath, "digit labels 0 to 9", $"label {labels[i]} at index {i}");
                if (labels[i] > 1) continue;
                pixels.Add(images.Image(i).ToArray());
                digits.Add(labels[i]);
                fromTrain.Add(pair.Split == "train");
            }
            total += images.Count;
        }
        // Each file fits in an array (IdxReader checks), but the 0s and 1s of two large pairs together might not.
        if ((long)pixels.Count * PixelsPerImage > Array.MaxLength)
            throw InvalidInputException.InFile(directory, $"at most {Array.MaxLength / PixelsPerImage} digits 0/1 in all (they are kept in one array)", $"{pixels.Count}");
        var flat = new byte[pixels.Count * PixelsPerImage];
        for (int i = 0; i < pixels.Count; i++) pixels[i].CopyTo(flat, i * PixelsPerImage);
        return new ZeroOneDigits(directory, flat, digits.ToArray(), fromTrain.ToArray(), total);
    }

    private static string Stamp(string path)
    {
        // The file was there when the folder was listed; one removed since then is an input error, not a bug.
        try
        {
            var info = new FileInfo(path);
            return $"{info.FullName}:{info.Length}:{info.LastWriteTimeUtc.Ticks}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw InvalidInputException.InFile(path, "a readable file", $"an error reading it ({ex.Message})");
        }
    }
}
