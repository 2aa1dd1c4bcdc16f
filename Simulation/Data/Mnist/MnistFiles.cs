namespace Verify.Simulation.Data.Mnist;

/// <summary>One images file with its labels file, for example the t10k pair.</summary>
public sealed record MnistPair(string Split, string ImagesPath, string LabelsPath);

/// <summary>
/// Finds the standard MNIST files in a folder: the train pair, the t10k pair or both, each file plain or
/// with ".gz" (the plain one wins when both exist, so a file decompressed in place is not counted twice).
/// A folder with only one pair is fine (the npm-derived cache has only t10k); half a pair is an error,
/// since it means a download went wrong.
/// </summary>
public static class MnistFiles
{
    public static readonly IReadOnlyList<string> Splits = ["train", "t10k"];

    public static string ImagesName(string split) => $"{split}-images-idx3-ubyte";
    public static string LabelsName(string split) => $"{split}-labels-idx1-ubyte";

    /// <summary>What the folder must contain, for error messages.</summary>
    public const string Expected =
        "the MNIST IDX files train-images-idx3-ubyte + train-labels-idx1-ubyte and/or t10k-images-idx3-ubyte + t10k-labels-idx1-ubyte (each plain or .gz)";

    /// <summary>The pairs present in <paramref name="directory"/>; throws when there are none or one is incomplete.</summary>
    public static IReadOnlyList<MnistPair> Find(string directory)
    {
        if (!Directory.Exists(directory))
            throw InvalidInputException.InFile(directory, $"a folder with {Expected}", File.Exists(directory) ? "a file, not a folder" : "no such folder");
        var pairs = Present(directory);
        if (pairs.Count == 0) throw InvalidInputException.InFile(directory, Expected, "none of them");
        return pairs;
    }

    /// <summary>The complete pairs in <paramref name="directory"/>, empty when it has none or does not exist; throws on half a pair.</summary>
    public static IReadOnlyList<MnistPair> Present(string directory)
    {
        var pairs = new List<MnistPair>();
        if (!Directory.Exists(directory)) return pairs;
        foreach (string split in Splits)
        {
            string? images = Existing(directory, ImagesName(split));
            string? labels = Existing(directory, LabelsName(split));
            if (images is not null && labels is not null) pairs.Add(new MnistPair(split, images, labels));
            else if (images is not null)
                throw InvalidInputException.InFile(directory, $"{LabelsName(split)}[.gz] next to {Path.GetFileName(images)}", "the images without their labels");
            else if (labels is not null)
                throw InvalidInputException.InFile(directory, $"{ImagesName(split)}[.gz] next to {Path.GetFileName(labels)}", "the labels without their images");
        }
        return pairs;
    }

    private static string? Existing(string directory, string name)
    {
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        string gz = plain + ".gz";
        return File.Exists(gz) ? gz : null;
    }
}
