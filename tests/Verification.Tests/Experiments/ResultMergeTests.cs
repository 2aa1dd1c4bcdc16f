using Verify.Verification.Sweeps;

namespace Verify.Verification.Tests.Experiments;

/// <summary><see cref="ResultMerge"/> without the command line.</summary>
public class ResultMergeTests
{
    [Test]
    public void A_file_not_named_as_a_run_is_skipped_and_never_copied()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Sub("a"), "runs"));
        File.WriteAllText(Path.Combine(dir.Sub("a"), "runs", "notes.json"), "{}");
        var (output, error) = (new StringWriter(), new StringWriter());
        ResultMerge.Merge(dir.Sub("into"), [dir.Sub("a")], output, error);
        Assert.That(error.ToString(), Does.StartWith("skipping ").And.Contain("notes.json"));
        Assert.That(output.ToString(), Does.Contain("0 runs copied, 0 already present, 1 files skipped"));
        string runs = Path.Combine(dir.Sub("into"), "runs");
        Assert.That(Directory.Exists(runs) ? Directory.GetFiles(runs) : [], Is.Empty);
    }

    [Test]
    public void A_folder_without_runs_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Sub("a"), "runs"));
        Directory.CreateDirectory(dir.Sub("b"));
        var ex = Assert.Throws<InvalidInputException>(() => ResultMerge.Merge(dir.Sub("into"), [dir.Sub("a"), dir.Sub("b")], TextWriter.Null, TextWriter.Null));
        Assert.That(ex!.Message, Does.Contain("has no runs/ folder"));
        Assert.That(Directory.Exists(dir.Sub("into")), Is.False);
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void Fewer_than_one_job_is_refused_naming_the_option(int jobs)
    {
        var ex = Assert.Throws<InvalidInputException>(() => Sweep.CheckJobs(jobs));
        Assert.That(ex!.Message, Does.Contain("--jobs").And.Contain($"{jobs}"));
        Assert.That(Sweep.CheckJobs(jobs + 5), Is.EqualTo(jobs + 5));
    }

    [Test]
    public void A_blank_results_folder_is_refused_not_taken_for_the_default()
    {
        Assert.Throws<InvalidInputException>(() => ResultStore.For(" ", "tiny"));
        Assert.That(ResultStore.For(null, "tiny").Directory, Is.EqualTo(Path.GetFullPath(Path.Combine("results", "tiny"))));
    }
}
