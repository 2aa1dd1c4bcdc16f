using Verify.Verification.Cluster;

namespace Verify.Verification.Tests.Cluster;

public class JobFileTests
{
    private static JobRecord Record(string id) => new(id, null, "/data/exp's.json", "tiny", ["seeds=1", "notes=a \"b\""], 3, 8, 5,
        new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), "/r/slurm/submit-20261127T100000Z.sh", "/r/slurm/%A_%a.out");

    [Test]
    public void Jobs_round_trip_and_accumulate()
    {
        using var dir = new TempDir();
        string path = JobFile.PathIn(dir.Path);
        Assert.That(JobFile.Read(path), Is.Empty, "no file, no jobs");
        JobFile.Append(path, Record("41"));
        JobFile.Append(path, Record("42") with { Cluster = "c2" });
        var jobs = JobFile.Read(path);
        Assert.That(jobs.Select(j => j.JobId), Is.EqualTo(new[] { "41", "42" }));
        var first = jobs[0];
        var expected = Record("41");
        Assert.That(first with { Sets = expected.Sets }, Is.EqualTo(expected));
        Assert.That(first.Sets, Is.EqualTo(expected.Sets));
        Assert.That(jobs[1].Cluster, Is.EqualTo("c2"));
        Assert.That(first.LogOf(3), Is.EqualTo("/r/slurm/41_3.out"));
        Assert.That(File.ReadAllText(path), Does.Contain("\"schema\": \"verify.slurm-jobs/1\""));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp-*"), Is.Empty, "written atomically, nothing left behind");
    }

    [TestCase("{ truncated")]
    [TestCase("{ \"schema\": \"other\", \"jobs\": [] }")]
    [TestCase("{ \"schema\": \"verify.slurm-jobs/1\", \"jobs\": [ { \"jobId\": \"../x\", \"tasks\": 1, \"name\": \"t\", \"logs\": \"l\" } ] }")]
    public void An_unreadable_file_is_an_error_naming_it(string content)
    {
        using var dir = new TempDir();
        string path = JobFile.PathIn(dir.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        Assert.That(() => JobFile.Read(path), Throws.TypeOf<InvalidInputException>().With.Message.Contains(path));
    }
}
