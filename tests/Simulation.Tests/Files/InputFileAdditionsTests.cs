using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Verify.Simulation.Data.Mnist;
using Verify.Simulation.Files;

namespace Verify.Simulation.Tests.Files;

/// <summary>
/// What issue 22 added to <see cref="InputFile"/> and where Simulation reads files through it: text decoded as
/// File.ReadAllText decodes it, JSON nested past 64 levels refused by name, the per-kind limits, and the IDX
/// reader refusing a FIFO, a device, a folder and a file larger than MNIST's largest.
/// </summary>
[CancelAfter(60_000)]
public class InputFileAdditionsTests
{
    private string _dir = "";

    [SetUp]
    public void Make() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "inputfile-add-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private string FilePath(string name) => Path.Combine(_dir, name);

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    [Test]
    public void Text_is_decoded_as_File_ReadAllText_decodes_it()
    {
        foreach (var (name, bytes) in new[]
                 {
                     ("bom-utf8", (byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"é\": 1}")]),
                     ("utf16", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("{\"é\": 1}")]),
                     ("plain", Encoding.UTF8.GetBytes("{\"é\": 1}")),
                 })
        {
            File.WriteAllBytes(FilePath(name), bytes);
            Assert.That(InputFile.ReadAllText(FilePath(name), "the file", 100), Is.EqualTo(File.ReadAllText(FilePath(name))), name);
            Assert.That(InputFile.ReadAllText(FilePath(name), "the file", 100), Is.EqualTo("{\"é\": 1}"), name);
        }
    }

    [Test]
    public void Json_as_deep_as_System_Text_Json_reads_passes_and_one_level_more_is_refused_naming_file_and_line()
    {
        // The limit is the parsers' own: 64 nested lists parse, 65 do not.
        Assert.That(() => JsonDocument.Parse(Nested(InputFile.MaxJsonDepth)).Dispose(), Throws.Nothing);
        Assert.That(() => JsonDocument.Parse(Nested(InputFile.MaxJsonDepth + 1)).Dispose(), Throws.InstanceOf<JsonException>());

        File.WriteAllText(FilePath("ok.json"), Nested(InputFile.MaxJsonDepth));
        Assert.That(InputFile.ReadJsonText(FilePath("ok.json"), "run file", 1000), Is.EqualTo(Nested(InputFile.MaxJsonDepth)));

        File.WriteAllText(FilePath("deep.json"), "{\n  \"a\": 1,\n  \"b\": " + Nested(InputFile.MaxJsonDepth) + "\n}");
        var ex = Assert.Throws<InvalidInputException>(() => InputFile.ReadJsonText(FilePath("deep.json"), "baseline file", 1000))!;
        Assert.That(ex.Message, Is.EqualTo($"baseline file '{FilePath("deep.json")}' nests objects and lists more than 64 levels deep (line 3): " +
                                           "verify reads JSON up to 64 levels; the file is damaged or not one of verify's"));
    }

    [Test]
    public void A_million_levels_are_refused_in_one_pass_without_recursion()
    {
        File.WriteAllText(FilePath("abyss.json"), new string('[', 1_000_000));
        Assert.That(() => InputFile.ReadJsonText(FilePath("abyss.json"), "run file", InputLimits.RunFile),
            Throws.TypeOf<InvalidInputException>().With.Message.Contains("more than 64 levels deep (line 1)"));
    }

    [TestCase("{ \"a\": 1 ")]                       // unfinished
    [TestCase("{ \"a\": 1, } // trailing comma and a comment")]
    [TestCase("not json")]
    [TestCase("")]
    public void Other_syntax_is_left_to_the_parser_that_names_it(string text)
    {
        File.WriteAllText(FilePath("x.json"), text);
        Assert.That(InputFile.ReadJsonText(FilePath("x.json"), "run file", 1000), Is.EqualTo(text));
    }

    [Test]
    public void The_depth_check_skips_a_byte_order_mark_and_counts_objects_and_lists_alike()
    {
        string deep = string.Concat(Enumerable.Range(0, 40).Select(_ => "{\"k\":[")) + "1" + string.Concat(Enumerable.Range(0, 40).Select(_ => "]}"));
        Assert.That(() => InputFile.CheckJsonDepth([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(deep)], "doc"),
            Throws.TypeOf<InvalidInputException>().With.Message.StartWith("doc nests objects and lists more than 64 levels deep"));
        Assert.That(() => InputFile.CheckJsonDepth([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("[1]")], "doc"), Throws.Nothing);
    }

    [Test]
    public void The_idx_limits_are_the_sizes_of_MNIST_training_files()
    {
        Assert.That(InputLimits.IdxImages, Is.EqualTo(47_040_016), "train-images-idx3-ubyte");
        Assert.That(InputLimits.IdxLabels, Is.EqualTo(60_008), "train-labels-idx1-ubyte");
        Assert.That(new[] { InputLimits.ExperimentFile, InputLimits.RunFile, InputLimits.Baseline, InputLimits.Sha256Sums, InputLimits.NpmTarball, InputLimits.BaselineScript },
            Is.All.GreaterThanOrEqualTo(InputFile.MiB).And.All.LessThanOrEqualTo(256 * InputFile.MiB));
    }

    /// <summary>A file of the given length that takes no disk space (a hole): size limits are tested without writing megabytes.</summary>
    private string Sparse(string name, long length)
    {
        using (var f = new FileStream(FilePath(name), FileMode.CreateNew)) f.SetLength(length);
        return FilePath(name);
    }

    [Test]
    public void An_idx_file_larger_than_MNIST_largest_is_refused_before_it_is_read()
    {
        string images = Sparse("images", InputLimits.IdxImages + 1), labels = Sparse("labels", InputLimits.IdxLabels + 1);
        Assert.That(() => IdxReader.ReadImages(images), Throws.TypeOf<InvalidInputException>().With.Message
            .EqualTo($"IDX images file '{images}' is larger than the 44.9 MiB allowed for it (it has 44.9 MiB)"));
        Assert.That(() => IdxReader.ReadLabels(labels), Throws.TypeOf<InvalidInputException>().With.Message
            .EqualTo($"IDX labels file '{labels}' is larger than the 58.6 KiB allowed for it (it has 58.6 KiB)"));
    }

    [Test]
    public void An_idx_file_that_is_a_device_a_fifo_or_a_folder_is_refused_without_blocking()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("file kinds are told on Linux and macOS");
        string fifo = FilePath("pipe");
        using (var p = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!) p.WaitForExit();
        if (!File.Exists(fifo)) Assert.Ignore("mkfifo is not available here");
        File.CreateSymbolicLink(FilePath("zero"), "/dev/zero");
        Directory.CreateDirectory(FilePath("folder"));
        foreach (var (path, kind) in new[] { (fifo, "a FIFO"), (FilePath("zero"), "a character device"), ("/dev/null", "a character device"), (FilePath("folder"), "a folder") })
        {
            Assert.That(() => IdxReader.ReadImages(path), Throws.TypeOf<InvalidInputException>().With.Message
                .EqualTo($"IDX images file '{path}' is {kind}: verify reads only regular files"), path);
            Assert.That(() => IdxReader.ReadLabels(path), Throws.TypeOf<InvalidInputException>().With.Message.Contains(kind), path);
        }
    }
}
