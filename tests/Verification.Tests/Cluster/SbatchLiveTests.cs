using System.Text.RegularExpressions;
using Verify.Verification.Cluster;
using Verify.Verification.Tests.Experiments;

namespace Verify.Verification.Tests.Cluster;

/// <summary>
/// What the sbatch installed here does with the options and #SBATCH lines verify submit checks: the table of
/// <see cref="SbatchOptions"/> and the refusals of <see cref="SbatchScript.CheckSbatchArg"/> against sbatch's own
/// getopt (needs only the sbatch program), and the #SBATCH lines against `sbatch -v --test-only`, which prints the
/// options it read without queuing anything (needs a scheduler that answers). Skipped, with the reason, without them.
/// </summary>
[Category(Categories.Cluster)]
[Category(Categories.Slurm)]
[Category(Categories.Slow)]
[CancelAfter(120_000)]
public partial class SbatchLiveTests
{
    private static readonly SlurmTools Tools = new(binDirectory: null);

    /// <summary>Runs sbatch with its standard input empty (alone, it would read the script from there).</summary>
    private static ToolResult Sbatch(params string[] args) => Tools.Run("sbatch", args, TimeSpan.FromSeconds(30));

    private static string Version()
    {
        if (Tools.Locate("sbatch") is null) Assert.Ignore("sbatch is not installed here");
        var v = Sbatch("--version");
        if (!v.Ok) Assert.Ignore("sbatch --version does not answer: " + v.Reason());
        return v.Stdout.Trim();
    }

    /// <summary>What getopt in this sbatch makes of --<paramref name="prefix"/>: the option's name, AMBIGUOUS or UNKNOWN.</summary>
    private static string Resolved(string prefix)
    {
        string alone = Sbatch("--test-only", "--" + prefix).Stderr;
        if (alone.Contains("is ambiguous", StringComparison.Ordinal)) return "AMBIGUOUS";
        if (alone.Contains("unrecognized option", StringComparison.Ordinal)) return "UNKNOWN";
        if (OptionInMessage().Match(alone) is { Success: true } required) return required.Groups[1].Value;
        string valued = Sbatch("--test-only", $"--{prefix}=zz").Stderr;
        if (OptionInMessage().Match(valued) is { Success: true } none) return none.Groups[1].Value;
        if (InvalidSpecification().Match(valued) is { Success: true } optional) return optional.Groups[1].Value;
        return "?";
    }

    [GeneratedRegex(@"option '--([a-z-]+)' (?:requires|doesn't allow) an argument")]
    private static partial Regex OptionInMessage();

    [GeneratedRegex(@"Invalid --([a-z-]+) specification")]
    private static partial Regex InvalidSpecification();

    [Test]
    public void Every_prefix_this_sbatch_reads_as_a_reserved_option_is_refused()
    {
        string version = Version();
        bool recordedVersion = version.Contains(" 22.05.", StringComparison.Ordinal);
        var reserved = SbatchOptions.All.Where(SbatchScript.IsReserved).Select(o => o.Name).ToHashSet();
        var prefixes = reserved.SelectMany(n => Enumerable.Range(1, n.Length).Select(k => n[..k])).Distinct().Order().ToList();
        var recorded = SbatchOptionsTests.Recorded().ToDictionary(r => r.Prefix, r => r.Resolved);
        int refused = 0;
        foreach (var prefix in prefixes)
        {
            string live = Resolved(prefix);
            if (recordedVersion) Assert.That(live, Is.EqualTo(recorded[prefix]), $"--{prefix} with {version}");
            if (live == "AMBIGUOUS" || reserved.Contains(live))
            {
                Assert.That(() => SbatchScript.CheckSbatchArg($"--{prefix}=1"), Throws.TypeOf<InvalidInputException>(), $"--{prefix}=1 ({version} reads it as {live})");
                refused++;
            }
        }
        Assert.That(refused, Is.GreaterThan(prefixes.Count / 2));
        TestContext.Out.WriteLine($"{version}: {prefixes.Count} prefixes of reserved options, {refused} read as reserved or ambiguous, all refused");
    }

    /// <summary>Why sbatch cannot test a script here (no scheduler answers), or null.</summary>
    private static string? NoScheduler()
    {
        if (Tools.Locate("sinfo") is null) return "sinfo is not installed";
        var sinfo = Tools.Run("sinfo", ["-h", "-o", "%T"], TimeSpan.FromSeconds(20));
        return sinfo.Ok ? null : "sinfo does not answer: " + sinfo.Reason();
    }

    /// <summary>The options `sbatch -v --test-only` read from <paramref name="directives"/> (name → value), or its error.</summary>
    private static (Dictionary<string, string> Options, string Stderr) Read(TempDir dir, params string[] directives)
    {
        string script = dir.File($"probe-{Guid.NewGuid():N}.sh", "#!/bin/bash\n" + string.Concat(directives.Select(d => d + "\n")) + "true\n");
        return Read(script);
    }

    private static (Dictionary<string, string> Options, string Stderr) Read(string script)
    {
        var r = Sbatch("-v", "--test-only", script);
        var options = new Dictionary<string, string>();
        foreach (Match m in VerboseLine().Matches(r.Stderr)) options[m.Groups[1].Value] = m.Groups[2].Value.TrimEnd();
        return (options, r.Stderr);
    }

    [GeneratedRegex(@"^sbatch: ([a-z-]+)\s+: (.*)$", RegexOptions.Multiline)]
    private static partial Regex VerboseLine();

    /// <summary>What issue 22 found, as this sbatch reads it: the reasons for each refusal of verify submit.</summary>
    [Test]
    public void Sbatch_reads_several_options_per_line_abbreviations_comments_and_quotes()
    {
        Version();
        if (NoScheduler() is { } why) Assert.Ignore("no Slurm scheduler answers here: " + why);
        using var dir = new TempDir();

        var several = Read(dir, "#SBATCH --comment=x --arr=1-77", "#SBATCH --outp=/tmp/x/%a.out");
        Assert.That(several.Options.GetValueOrDefault("array"), Is.EqualTo("1-77"), several.Stderr);
        Assert.That(several.Options.GetValueOrDefault("output"), Is.EqualTo("/tmp/x/%a.out"), several.Stderr);

        var cluster = Read(dir, "#SBATCH -vo/tmp/vo.out", "#SBATCH -Qa1-5");
        Assert.That(cluster.Options.GetValueOrDefault("output"), Is.EqualTo("/tmp/vo.out"), cluster.Stderr);
        Assert.That(cluster.Options.GetValueOrDefault("array"), Is.EqualTo("1-5"), cluster.Stderr);

        var comment = Read(dir, "#SBATCH --output=/tmp/res#x/%a.out --array=1-3");
        Assert.That(comment.Options.GetValueOrDefault("output"), Is.EqualTo("/tmp/res"), "# starts a comment: " + comment.Stderr);
        Assert.That(comment.Options.ContainsKey("array"), Is.False, "the rest of the line is the comment");

        var quote = Read(dir, "#SBATCH --output=/tmp/res'q");
        Assert.That(quote.Stderr, Does.Contain("Unmatched"), "an unmatched quote aborts sbatch");

        var eaten = Read(dir, "#SBATCH --comment", "#SBATCH --array=1-3");
        Assert.That(eaten.Options.GetValueOrDefault("comment"), Is.EqualTo("--array=1-3"), "an option without its value takes the next word: " + eaten.Stderr);

        var spaced = Read(dir, "#SBATCH --output=\"/tmp/a b/%a.out\"");
        Assert.That(spaced.Options.GetValueOrDefault("output"), Is.EqualTo("/tmp/a b/%a.out"), "double quotes keep a space: " + spaced.Stderr);
    }

    /// <summary>The script verify submit writes, read by sbatch: its array, log pattern, folder and name, and an --sbatch-arg, as meant.</summary>
    [Test]
    public void Sbatch_reads_the_script_verify_writes_as_verify_means_it()
    {
        Version();
        if (NoScheduler() is { } why) Assert.Ignore("no Slurm scheduler answers here: " + why);
        using var dir = new TempDir();
        // The experiment path reaches the script on the tasks' command line only, after the first command, where
        // sbatch reads no more #SBATCH lines: a path holding one changes nothing (only the comment at the top is
        // before, and there a line break is shown as ?).
        string cfg = dir.File("tiny\n#SBATCH --array=1-99 #'\".json", TinyExperiment.Json);
        string results = dir.Sub("my results");
        var dry = CliRunner.Run("submit", cfg, "--tasks", "3", "--results", results, "--dry-run", "--sbatch-arg=--comment=probe", "--sbatch-arg=--mem 1M");
        Assert.That(dry.ExitCode, Is.EqualTo(0), dry.Err);
        var (options, stderr) = Read(dir.File("submit.sh", dry.Out));
        Assert.That(options.GetValueOrDefault("array"), Is.EqualTo("1-3"), stderr);
        Assert.That(options.GetValueOrDefault("output"), Is.EqualTo(Path.Combine(results, "slurm", "%A_%a.out")), stderr);
        Assert.That(options.GetValueOrDefault("chdir"), Is.EqualTo(Directory.GetCurrentDirectory()), stderr);
        Assert.That(options.GetValueOrDefault("job-name"), Is.EqualTo("verify-tiny"), stderr);
        Assert.That(options.GetValueOrDefault("comment"), Is.EqualTo("probe"), stderr);
    }
}
