using System.Diagnostics;
using Verify.Verification.Cluster;

namespace Verify.Verification.Tests.Cluster;

public class SbatchScriptTests
{
    private static ArrayJob Job(string results, IReadOnlyList<string> verify, IReadOnlyList<string>? sets = null, string experiment = "/data/exp.json", int tasks = 4) => new(
        experiment, "tiny", 8, 8, tasks, results, "/work", verify, sets ?? [], null,
        "debug", "1-02:00:00", 2, "proj_1", ["--mem=4G", "--qos=long"], new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    [Test]
    public void The_script_is_an_array_of_shards_writing_into_the_results_folder()
    {
        var job = Job("/scratch/results/tiny", ["/opt/verify/verify"], ["seeds=1"]);
        string script = SbatchScript.Render(job);
        Assert.That(script, Does.StartWith("#!/bin/bash\n"));
        var directives = script.Split('\n').Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).ToList();
        Assert.That(directives, Is.EqualTo(new[]
        {
            "#SBATCH --job-name=verify-tiny", "#SBATCH --array=1-4", "#SBATCH --output=/scratch/results/tiny/slurm/%A_%a.out", "#SBATCH --chdir=/work",
            "#SBATCH --partition=debug", "#SBATCH --time=1-02:00:00", "#SBATCH --cpus-per-task=2", "#SBATCH --account=proj_1",
            "#SBATCH --mem=4G", "#SBATCH --qos=long",
        }));
        Assert.That(script, Does.Contain("'/opt/verify/verify' run '/data/exp.json' \\\n  --shard \"${SLURM_ARRAY_TASK_ID}/4\" --results '/scratch/results/tiny' --jobs \"$cpus\" --set 'seeds=1'\n"));
        Assert.That(script, Does.Contain("cpus=${SLURM_CPUS_PER_TASK:-1}").And.Contain("export DOTNET_PROCESSOR_COUNT=$cpus OPENBLAS_NUM_THREADS=$cpus"));
        Assert.That(script, Does.Contain("runs only what is missing"));
        Assert.That(job.ScriptPath, Is.EqualTo("/scratch/results/tiny/slurm/submit-20261127T100000Z.sh"));
        Assert.That(script, Does.Not.Contain("\r"));
    }

    [Test]
    public void Paths_and_set_values_reach_verify_as_single_arguments_whatever_they_contain()
    {
        using var dir = new TempDir();
        // A stand-in for verify that prints each argument between < and >.
        string fake = dir.File("fake verify's", "#!/bin/bash\nfor a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string canary = Path.Combine(dir.Path, "injected");
        string[] sets =
        [
            "description=it's a \"test\" $(touch " + canary + ")",
            "notes=a; touch " + canary + " `touch " + canary + "` && echo $HOME | x",
            "grid.d=10,100",
            "name=with\\backslash and 'quotes'",
        ];
        string results = Path.Combine(dir.Path, "res ults $x");
        string experiment = Path.Combine(dir.Path, "my 'exp' $(touch " + canary + ").json");
        string script = dir.File("job.sh", SbatchScript.Render(Job(results, [fake], sets, experiment, tasks: 3)));

        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.Environment["SLURM_ARRAY_TASK_ID"] = "2";
        psi.Environment["SLURM_ARRAY_JOB_ID"] = "77";
        psi.Environment["SLURM_CPUS_PER_TASK"] = "3";
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), stderr);

        var args = stdout.Split('\n').Where(l => l.StartsWith('<')).Select(l => l[1..^1]).ToList();
        var expected = new List<string> { "run", experiment, "--shard", "2/3", "--results", results, "--jobs", "3" };
        foreach (var s in sets) expected.AddRange(["--set", s]);
        Assert.That(args, Is.EqualTo(expected));
        Assert.That(File.Exists(canary), Is.False, "nothing in a value ran as a command");
        Assert.That(stdout, Does.Contain("verify-task 77_2: shard 2/3 on").And.Contain("verify-task 77_2: exit 0"));
    }

    [Test]
    public void Run_outside_an_array_the_script_says_so()
    {
        using var dir = new TempDir();
        string script = dir.File("job.sh", SbatchScript.Render(Job(dir.Sub("r"), ["/bin/true"])));
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.Environment.Remove("SLURM_ARRAY_TASK_ID");
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(2));
        Assert.That(err, Does.Contain("submit it with sbatch"));
    }

    [TestCase("it's", "'it'\\''s'")]
    [TestCase("", "''")]
    [TestCase("$(x) `y` \"z\"", "'$(x) `y` \"z\"'")]
    public void Quote_makes_one_shell_word(string value, string quoted) => Assert.That(SbatchScript.Quote(value), Is.EqualTo(quoted));

    [TestCase("12:00:00")]
    [TestCase("90")]
    [TestCase("2-00:00:00")]
    [TestCase("1-12")]
    [TestCase("30:00")]
    [TestCase("UNLIMITED")]
    public void Slurm_time_forms_are_accepted(string time) => Assert.That(SbatchScript.CheckTime(time), Is.EqualTo(time));

    [TestCase("12h")]
    [TestCase("1:2:3:4")]
    [TestCase("")]
    [TestCase("12:00\n#SBATCH --x")]
    [TestCase("10\n")]
    [TestCase("١٠")]
    [TestCase("１０")]
    public void Other_times_are_refused_naming_the_option(string time)
        => Assert.That(() => SbatchScript.CheckTime(time), Throws.TypeOf<InvalidInputException>().With.Message.StartsWith("--time = "));

    [TestCase("--mem=4G")]
    [TestCase("--gres=gpu:1")]
    [TestCase("--mem 4G")]
    [TestCase("--constraint=a&b")]
    [TestCase("-q long")]
    [TestCase("--hold")]
    public void Sbatch_args_pass_through(string arg) => Assert.That(SbatchScript.CheckSbatchArg(arg), Is.EqualTo(arg));

    [TestCase("--mem=4G\nrm -rf /", "one sbatch option on one line")]
    [TestCase("mem=4G", "starting with -")]
    [TestCase("--array=1-3", "from --tasks")]
    [TestCase("-a 1-3", "from --tasks")]
    [TestCase("--output=/tmp/x", "logs go to")]
    [TestCase("-o/tmp/x", "logs go to")]
    [TestCase("--partition=x", "use --partition")]
    [TestCase("-c4", "use --cpus-per-task")]
    [TestCase("--wrap=true", "writes the script")]
    [TestCase("--arr=1-77", "sbatch reads --arr as --array")]
    [TestCase("-vo/tmp/x", "followed by more options")]
    [TestCase("--mem=4G --array=1-1000", "give each option its own --sbatch-arg")]
    [TestCase("--constraint=\"a&b\"", "write the value without them")]
    public void Sbatch_args_that_would_break_the_script_or_the_job_are_refused(string arg, string why)
        => Assert.That(() => SbatchScript.CheckSbatchArg(arg), Throws.TypeOf<InvalidInputException>().With.Message.StartsWith("--sbatch-arg").And.Message.Contains(why));

    [TestCase("/scratch/50%/r")]
    [TestCase("/scratch/a\"b")]
    [TestCase("/scratch/a\nb")]
    [TestCase("/scratch/res#x")]
    [TestCase("/scratch/res'q")]
    [TestCase("/scratch/a\\b")]
    public void A_results_path_sbatch_cannot_read_is_refused(string path)
        => Assert.That(() => SbatchScript.CheckDirectivePath(path, "--results"), Throws.TypeOf<InvalidInputException>().With.Message.StartsWith("--results '"));

    [Test]
    public void A_results_path_with_spaces_is_quoted_on_the_sbatch_lines()
    {
        string script = SbatchScript.Render(Job("/scratch/my results", ["/v"]));
        Assert.That(script, Does.Contain("#SBATCH --output=\"/scratch/my results/slurm/%A_%a.out\"\n"));
    }
}
