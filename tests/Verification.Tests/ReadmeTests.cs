using System.Text.RegularExpressions;

namespace Verify.Verification.Tests;

/// <summary>The README is the front door: every command and option it shows exists under that name.</summary>
public partial class ReadmeTests
{

    /// <summary>(command, option) for every `verify CMD … --option` the README shows, in code blocks, tables and text.</summary>
    private static List<(string Command, string Option)> Mentions()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var found = new List<(string, string)>();
        foreach (Match m in Invocation().Matches(readme))
        {
            string command = m.Groups["cmd"].Value;
            foreach (Match o in OptionName().Matches(m.Groups["rest"].Value))
                found.Add((command, o.Value));
            found.Add((command, ""));
        }
        return found;
    }

    [Test]
    public void Every_command_and_option_in_the_README_is_in_the_help()
    {
        var mentions = Mentions();
        Assert.That(mentions.Select(m => m.Command).Distinct(), Is.SupersetOf(new[] { "check", "train", "run", "report", "boundary", "submit", "status", "bench", "regress", "baseline", "data", "merge" }),
            "the README shows every command");
        Assert.That(mentions.Count(m => m.Option.Length > 0), Is.GreaterThan(20));
        foreach (var group in mentions.GroupBy(m => m.Command))
        {
            var help = CliRunner.Run(group.Key, "--help");
            Assert.That(help.ExitCode, Is.EqualTo(0), $"verify {group.Key} --help");
            foreach (var option in group.Select(m => m.Option).Where(o => o.Length > 0).Distinct())
                Assert.That(help.Out, Does.Match($@"(^|[\s,]){Regex.Escape(option)}([\s,<]|$)"), $"README shows `verify {group.Key} … {option}`, --help does not list it");
        }
    }

    [Test]
    public void Bench_train_and_check_call_a_quantity_by_one_name()
    {
        string Help(string command) => CliRunner.Run(command, "--help").Out;
        string train = Help("train"), bench = Help("bench"), check = Help("check");
        foreach (var option in new[] { "--n", "--d", "--m", "--mu", "--alpha" })
            foreach (var (name, help) in new[] { ("train", train), ("bench", bench), ("check", check) })
                Assert.That(help, Does.Match($@"\s{Regex.Escape(option)}\s"), $"{name} has {option}");
        foreach (var option in new[] { "--iterations", "--pgd-steps", "--learning-rate", "--precision" })
            Assert.That(bench, Does.Contain(option), "bench uses train's name " + option);
        foreach (var old in new[] { "--iters", "--pgd ", "--lr ", "--float32" })
            Assert.That(bench, Does.Not.Contain(old));
    }

    // `verify CMD …` or `dotnet run … --project Verification -- CMD …`, up to the end of the line, a backtick or a comment.
    [GeneratedRegex(@"(?:\bverify|--project Verification --) (?<cmd>check|train|run|merge|report|boundary|submit|status|baseline|regress|data|bench)\b(?<rest>[^`\n#|]*)")]
    private static partial Regex Invocation();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex OptionName();
}
