using Verify.Verification.Cluster;

namespace Verify.Verification.Tests.Cluster;

public class SlurmOutputTests
{
    [Test]
    public void Sacct_lines_become_task_states_steps_and_other_jobs_ignored_ranges_expanded()
    {
        const string sacct = """
            1234_1|COMPLETED|0:0
            1234_1.batch|COMPLETED|0:0
            1234_1.extern|COMPLETED|0:0
            1234_2|FAILED|3:0
            1234_2.batch|FAILED|3:0
            1234_3|CANCELLED by 1000|0:15
            1234_4|RUNNING|0:0
            1234_[5-6,8%2]|PENDING|0:0
            12345_1|COMPLETED|0:0
            1234|COMPLETED|0:0

            """;
        var tasks = SlurmOutput.ParseSacct(sacct, "1234");
        Assert.That(tasks.Keys.Order(), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6, 8 }));
        Assert.That(tasks[1], Is.EqualTo(new TaskState(1, "COMPLETED", "0:0")));
        Assert.That(tasks[2].Failed && tasks[2].ExitCode == "3:0", Is.True);
        Assert.That(tasks[3].State, Is.EqualTo("CANCELLED"));
        Assert.That(tasks[3].Failed, Is.True);
        Assert.That(tasks[4].Finished, Is.False);
        Assert.That(tasks[8].State, Is.EqualTo("PENDING"));
    }

    [Test]
    public void Squeue_lines_become_task_states()
    {
        var tasks = SlurmOutput.ParseSqueue("77_3|PENDING\n77_2|RUNNING\n77_1|COMPLETED\n", "77");
        Assert.That(tasks.Count, Is.EqualTo(3));
        Assert.That(tasks[1].Completed, Is.True);
        Assert.That(tasks[2].State, Is.EqualTo("RUNNING"));
        Assert.That(tasks[3].ExitCode, Is.Null);
        Assert.That(SlurmOutput.ParseSqueue("slurm_load_jobs error: Invalid job id specified\n", "77"), Is.Empty);
    }

    [TestCase("1234\n", "1234", null)]
    [TestCase("987;cluster2\n", "987", "cluster2")]
    [TestCase("sbatch: warning: something\n55\n", "55", null)]
    public void Sbatch_parsable_gives_the_job_id(string stdout, string id, string? cluster)
        => Assert.That(SlurmOutput.ParseSbatch(stdout), Is.EqualTo((id, cluster)));

    [TestCase("")]
    [TestCase("Submitted batch job 12\n")]
    public void Sbatch_output_without_an_id_gives_none(string stdout) => Assert.That(SlurmOutput.ParseSbatch(stdout), Is.Null);

    [TestCase("3", new[] { 3 })]
    [TestCase("[1-3]", new[] { 1, 2, 3 })]
    [TestCase("[2,4-5%1]", new[] { 2, 4, 5 })]
    [TestCase("[x]", new int[0])]
    [TestCase("[5-2]", new int[0])]
    public void Array_task_ids(string text, int[] ids) => Assert.That(SlurmOutput.TaskIds(text), Is.EqualTo(ids));

    [Test]
    [CancelAfter(30_000)]
    public void A_range_up_to_the_largest_int_ends_and_too_many_ids_give_none()
    {
        // `for (int k = a; k <= b; k++)` never ends when b is int.MaxValue: k wraps around below b.
        Assert.That(SlurmOutput.TaskIds("[2147483640-2147483647]"), Is.EqualTo(Enumerable.Range(2147483640, 8)));
        Assert.That(SlurmOutput.TaskIds("[1-999999,1-999999]"), Is.Empty, "more ids than any job of verify has");
    }

    [Test]
    public void A_log_tells_whether_its_task_started_and_how_it_ended()
    {
        Assert.That(SlurmOutput.ParseLog(null), Is.EqualTo((false, (int?)null)));
        Assert.That(SlurmOutput.ParseLog("verify-task 9_1: shard 1/3 on n1, 1 CPU(s), started x\nprogress\n"), Is.EqualTo((true, (int?)null)));
        Assert.That(SlurmOutput.ParseLog("verify-task 9_1: shard 1/3 on n1\n…\nverify-task 9_1: exit 3, ended x\n"), Is.EqualTo((true, (int?)3)));
        Assert.That(SlurmOutput.ParseLog("something else: exit 0\n"), Is.EqualTo((false, (int?)null)));
    }
}
