using System.Diagnostics;
using Verify.Simulation.Files;

namespace Verify.Simulation.Tests.Files;

[CancelAfter(30_000)]
public class InputFileTests
{
    private string _dir = "";

    [SetUp]
    public void Make() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "inputfile-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void A_regular_file_is_read_whole()
    {
        string f = Path.Combine(_dir, "a.json");
        File.WriteAllText(f, "{ \"é\": 1 }");
        Assert.That(InputFile.ReadAllText(f, "the file", 100), Is.EqualTo("{ \"é\": 1 }"));
        Assert.That(InputFile.Kind(f), Is.Null);
    }

    [Test]
    public void A_file_over_its_limit_is_refused_naming_the_limit()
    {
        string f = Path.Combine(_dir, "big");
        File.WriteAllBytes(f, new byte[2049]);
        var ex = Assert.Throws<InvalidInputException>(() => InputFile.ReadAllBytes(f, "the experiment file", 2048))!;
        Assert.That(ex.Message, Is.EqualTo($"the experiment file '{f}' is larger than the 2048 bytes allowed for it (it has 2049 bytes)"));
        Assert.That(InputFile.ReadAllBytes(f, "the experiment file", 2049), Has.Length.EqualTo(2049));
    }

    [Test]
    public void A_folder_is_refused() =>
        Assert.That(Assert.Throws<InvalidInputException>(() => InputFile.ReadAllText(_dir, "the experiment file", 100))!.Message,
            Is.EqualTo($"the experiment file '{_dir}' is a folder: verify reads only regular files"));

    [TestCase("/dev/zero", "a character device")]
    [TestCase("/dev/null", "a character device")]
    public void A_device_is_refused_not_read_forever(string device, string kind)
    {
        if (!File.Exists(device)) Assert.Ignore($"{device} does not exist here");
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("file kinds are told on Linux and macOS");
        Assert.That(InputFile.Kind(device), Is.EqualTo(kind));
        Assert.That(() => InputFile.ReadAllBytes(device, "the run file", 1 << 20), Throws.TypeOf<InvalidInputException>().With.Message.Contains(kind));
    }

    [Test]
    public void A_fifo_is_refused_without_blocking()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("FIFOs are told on Linux and macOS");
        string fifo = Path.Combine(_dir, "pipe");
        using (var p = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!) p.WaitForExit();
        if (!File.Exists(fifo)) Assert.Ignore("mkfifo is not available here");
        Assert.That(InputFile.Kind(fifo), Is.EqualTo("a FIFO"));
        Assert.That(() => InputFile.ReadAllText(fifo, "jobs.json", 100), Throws.TypeOf<InvalidInputException>().With.Message.EqualTo($"jobs.json '{fifo}' is a FIFO: verify reads only regular files"));
    }

    [Test]
    public void A_fifo_met_at_open_time_is_refused_without_blocking()
    {
        // The path check may look before a FIFO is put in place: the open itself must not wait for a writer either.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Ignore("FIFOs are told on Linux and macOS");
        string fifo = Path.Combine(_dir, "swapped");
        using (var p = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!) p.WaitForExit();
        if (!File.Exists(fifo)) Assert.Ignore("mkfifo is not available here");
        Assert.That(() => InputFile.OpenChecked(fifo, "the run file"), Throws.TypeOf<InvalidInputException>().With.Message.EqualTo($"the run file '{fifo}' is a FIFO: verify reads only regular files"));
        string regular = Path.Combine(_dir, "r");
        File.WriteAllText(regular, "abc");
        using var s = InputFile.OpenChecked(regular, "the run file");
        Assert.That(s, Is.Not.Null, "Linux and macOS open without blocking");
        Assert.That(new StreamReader(s!).ReadToEnd(), Is.EqualTo("abc"));
    }

    [Test]
    public void A_link_to_a_regular_file_is_read()
    {
        string target = Path.Combine(_dir, "t"), link = Path.Combine(_dir, "l");
        File.WriteAllText(target, "x");
        File.CreateSymbolicLink(link, target);
        Assert.That(InputFile.ReadAllText(link, "the file", 10), Is.EqualTo("x"));
    }

    [Test]
    public void A_missing_file_is_the_usual_not_found() =>
        Assert.Throws<FileNotFoundException>(() => InputFile.ReadAllText(Path.Combine(_dir, "none"), "the file", 10));

    [Test]
    public void A_path_with_a_line_break_prints_on_one_line() =>
        Assert.That(InputFile.Printable("a\nb\tc"), Is.EqualTo("a?b?c"));
}
