using Verify.Verification.Cluster;
using Verify.Verification.Experiments;
using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Cluster;

/// <summary><see cref="Submission"/> without the command line: a request in, a job (or a refusal) out.</summary>
public class SubmissionTests
{
    private static SubmitRequest Request(TempDir dir, int? tasks, bool dryRun = true, string? partition = null, IReadOnlyList<string>? sets = null)
    {
        string cfg = dir.File("tiny.json", TinyExperiment.Json);
        var exp = ExperimentLoader.Load(cfg, sets ?? []);
        return new SubmitRequest(cfg, exp, ExperimentPlan.Expand(exp), dir.Sub("results"), tasks, partition, null, null, null, [], sets ?? [], null, null, dryRun);
    }

    [Test]
    public void The_job_has_one_task_per_shard_and_counts_every_run_missing_from_an_absent_folder()
    {
        using var dir = new TempDir();
        var request = Request(dir, tasks: 3, sets: ["seeds=1"]);
        var (job, store) = Submission.Prepare(request);
        Assert.That(job.Tasks, Is.EqualTo(3));
        Assert.That(job.Runs, Is.EqualTo(request.Plan.Count).And.EqualTo(4), "seeds=1 halves the tiny plan");
        Assert.That(job.Missing, Is.EqualTo(job.Runs));
        Assert.That(store.Directory, Is.EqualTo(Path.GetFullPath(dir.Sub("results"))));
        Assert.That(job.Sets, Is.EqualTo(new[] { "seeds=1" }));
    }

    [Test]
    public void More_tasks_than_runs_and_a_bad_partition_are_refused_before_anything_is_written()
    {
        using var dir = new TempDir();
        var tooMany = Assert.Throws<InvalidInputException>(() => Submission.Prepare(Request(dir, tasks: 9)));
        Assert.That(tooMany!.Message, Does.Contain("--tasks").And.Contain("at most the 8 runs"));
        var partition = Assert.Throws<InvalidInputException>(() => Submission.Prepare(Request(dir, tasks: 2, partition: "gpu;rm")));
        Assert.That(partition!.Message, Does.Contain("--partition"));
        Assert.That(Directory.Exists(dir.Sub("results")), Is.False);
    }

    [Test]
    public void A_dry_run_prints_the_script_and_writes_nothing()
    {
        using var dir = new TempDir();
        var (output, error) = (new StringWriter(), new StringWriter());
        Submission.Submit(Request(dir, tasks: 2), new SlurmTools(dir.Sub("no-slurm")), output, error);
        Assert.That(output.ToString(), Does.StartWith("#!/bin/bash\n").And.Contain("#SBATCH --array=1-2\n"));
        Assert.That(error.ToString(), Does.StartWith("dry run: nothing written or submitted"));
        Assert.That(Directory.Exists(dir.Sub("results")), Is.False);
    }

    [Test]
    public void Without_sbatch_nothing_is_submitted_and_no_script_is_left()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Sub("no-slurm"));
        var ex = Assert.Throws<InvalidInputException>(() =>
            Submission.Submit(Request(dir, tasks: 2, dryRun: false), new SlurmTools(dir.Sub("no-slurm")), TextWriter.Null, TextWriter.Null));
        Assert.That(ex!.Message, Does.StartWith("sbatch not found"));
        string slurm = Path.Combine(dir.Sub("results"), "slurm");
        Assert.That(Directory.Exists(slurm) ? Directory.GetFiles(slurm, "*.sh") : [], Is.Empty);
    }
}
