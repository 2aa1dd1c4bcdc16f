using Verify.Verification.Cluster;

namespace Verify.Verification.Tests.Cluster;

/// <summary>The table of sbatch's options, against what sbatch 22.05.8 itself did with them.</summary>
public class SbatchOptionsTests
{
    /// <summary>sbatch-22.05-prefixes.txt: "prefix option" or "prefix AMBIGUOUS", one per line (# starts a comment).</summary>
    internal static IReadOnlyList<(string Prefix, string Resolved)> Recorded() =>
        File.ReadAllLines(Repository.Path("tests", "Verification.Tests", "Cluster", "sbatch-22.05-prefixes.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ')).Select(f => (f[0], f[1])).ToList();

    private static string Resolution(string prefix) => SbatchOptions.Resolve(prefix) switch
    {
        SbatchName.Option o => o.Is.Name,
        SbatchName.Ambiguous => "AMBIGUOUS",
        _ => "UNKNOWN",
    };

    [Test]
    public void Every_prefix_of_every_option_resolves_as_sbatch_22_05_resolved_it()
    {
        var recorded = Recorded();
        Assert.That(recorded, Has.Count.EqualTo(651), "every prefix of the 106 names");
        var wrong = recorded.Where(r => Resolution(r.Prefix) != r.Resolved).Select(r => $"--{r.Prefix}: sbatch {r.Resolved}, table {Resolution(r.Prefix)}").ToList();
        Assert.That(wrong, Is.Empty);
        Assert.That(recorded.Select(r => r.Prefix).Where(p => SbatchOptions.All.Any(o => o.Name == p)).Order(),
            Is.EqualTo(SbatchOptions.All.Select(o => o.Name).Order()), "the table holds exactly the names sbatch has");
    }

    [TestCase("arr", "array", true)]
    [TestCase("outp", "output", true)]
    [TestCase("chd", "chdir", true)]
    [TestCase("pars", "parsable", true)]
    [TestCase("wra", "wrap", true)]
    [TestCase("time", "time", false)]
    [TestCase("ta", "tasks-per-node", true)]
    [TestCase("wait", "wait", false)]
    public void A_prefix_of_one_option_is_that_option(string prefix, string option, bool abbreviated) =>
        Assert.That(SbatchOptions.Resolve(prefix), Is.EqualTo(new SbatchName.Option(SbatchOptions.All.Single(o => o.Name == option), abbreviated)));

    [TestCase("a", new[] { "account", "acctg-freq", "array" })]
    [TestCase("tim", new[] { "time", "time-min" })]
    [TestCase("wa", new[] { "wait", "wait-all-nodes" })]
    public void A_prefix_of_several_options_is_ambiguous(string prefix, string[] candidates) =>
        Assert.That(((SbatchName.Ambiguous)SbatchOptions.Resolve(prefix)).Candidates.Select(c => c.Name), Is.EqualTo(candidates));

    [TestCase("")]
    [TestCase("x")]
    [TestCase("ARRAY")]
    [TestCase("arrays")]
    [TestCase("tres-per-task")]
    public void Other_names_are_unknown(string name) => Assert.That(SbatchOptions.Resolve(name), Is.TypeOf<SbatchName.Unknown>());

    /// <summary>Probed with sbatch 22.05.8: -x alone ("option requires an argument"), -xzz ("invalid option -- 'z'" when -x takes none).</summary>
    [Test]
    public void The_short_letters_take_values_as_sbatch_22_05_takes_them()
    {
        string Letters(SbatchValue kind) => string.Concat(SbatchOptions.All.Where(o => o.Short is not null && o.Value == kind).Select(o => o.Short!.Value).Order());
        Assert.That(Letters(SbatchValue.Required), Is.EqualTo(string.Concat("aAbBcCdDeFGiJLmMnNopqStwx".Order())));
        Assert.That(Letters(SbatchValue.None), Is.EqualTo(string.Concat("hHOQsvVW".Order())));
        Assert.That(Letters(SbatchValue.Optional), Is.EqualTo("k"));
        Assert.That(SbatchOptions.Short('a')!.Name, Is.EqualTo("array"));
        Assert.That(SbatchOptions.Short('D')!.Name, Is.EqualTo("chdir"));
        Assert.That(SbatchOptions.Short('z'), Is.Null);
    }
}
