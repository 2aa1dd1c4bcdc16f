using System.Text.RegularExpressions;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Model;
using Verify.Simulation.Runs;
using Verify.Simulation.Settings;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Settings;

/// <summary>
/// The settings are declared once (Simulation/Settings/Keys.cs) and everything else reads the declarations: the
/// defaults a run gets, the checks it passes and the help text say the same thing, and no code names a setting by a
/// string of its own.
/// </summary>
public partial class SettingDeclarationTests
{
    [Test]
    public void Every_default_is_allowed_and_its_text_reads_back_as_itself()
    {
        Assert.That(Keys.All.Select(k => k.Name), Is.Unique);
        foreach (var key in Keys.All)
        {
            Assert.That(key.OptionName, Does.Match("^--[a-z]+(-[a-z]+)*$"), key.Name);
            if (key.DefaultValue is not { } value) continue;
            Assert.That(key.Accepts(value), key.Name);
            Assert.That(key.TryParseBoxed(key.Format(value)), Is.EqualTo(value), key.Name);
            Assert.That(key.Help, Does.Contain($"[default: {key.Format(value)}]").And.Contain(key.Allowed), key.Name);
        }
    }

    /// <summary>The paper's synthetic setting, written out here (not read from the declarations): what a run without settings is.</summary>
    [Test]
    public void A_run_without_settings_is_the_papers_synthetic_setting_and_so_is_a_default_RunSpec()
    {
        var paper = new RunSpec
        {
            Data = new GaussianMixture(100, 2000, 1000, 5, 0.1, 1),
            Alpha = 0.5,
            Width = 1000,
            Activation = Activation.LeakyRelu(0.1),
            LearningRateFactor = 2,
            Iterations = 1000,
            RecordEvery = 1,
            TrainAttack = new PgdSettings(20, null, PgdStart.Zero, 1),
            EvalAttack = new PgdSettings(50, null, PgdStart.Zero, 2),
            CertifySteps = 20,
            Mode = EmbeddingMode.Auto,
            Precision = Precision.Double,
        };
        Assert.That(RunSettings.Empty.ToSpec(), Is.EqualTo(paper), "settings → spec");
        Assert.That(new RunSpec { Data = paper.Data, Alpha = 0.5 }, Is.EqualTo(paper), "RunSpec's own defaults are the settings' defaults");
    }

    /// <summary>The option refuses exactly what a run refuses: the help text's range is the run's check (m even, T ≤ 10⁶, …).</summary>
    [TestCase("m", 1)] [TestCase("m", 2)] [TestCase("m", 3)] [TestCase("m", 7)] [TestCase("m", 8)]
    [TestCase("iterations", -1)] [TestCase("iterations", 0)] [TestCase("iterations", Keys.MaxIterations)] [TestCase("iterations", Keys.MaxIterations + 1)]
    [TestCase("recordEvery", 0)] [TestCase("recordEvery", 1)]
    [TestCase("pgdSteps", -1)] [TestCase("pgdSteps", Keys.MaxAttackSteps)] [TestCase("pgdSteps", Keys.MaxAttackSteps + 1)]
    [TestCase("evalPgdRestarts", 0)] [TestCase("evalPgdRestarts", 1)] [TestCase("evalPgdRestarts", Keys.MaxAttackRuns + 1)]
    [TestCase("certifySteps", -1)] [TestCase("certifySteps", 0)] [TestCase("certifySteps", Keys.MaxCertifySteps + 1)]
    public void The_option_and_the_run_allow_the_same_values(string name, int value)
    {
        var key = (Setting<int>)Keys.Find(name)!;
        bool parsed = key.TryParse(value.ToString(), out _);
        var spec = new RunSpec { Data = new GaussianMixture(4, 4, 10, 1, 0) } switch
        {
            var s when key == Keys.Width => s with { Width = value },
            var s when key == Keys.Iterations => s with { Iterations = value },
            var s when key == Keys.RecordEvery => s with { RecordEvery = value },
            var s when key == Keys.PgdSteps => s with { TrainAttack = s.TrainAttack with { Steps = value } },
            var s when key == Keys.EvalPgdRestarts => s with { EvalAttack = s.EvalAttack with { Restarts = value } },
            var s when key == Keys.CertifySteps => s with { CertifySteps = value },
            _ => throw new ArgumentException(name),
        };
        InvalidInputException? refused = null;
        try { spec.Validate(); }
        catch (InvalidInputException ex) { refused = ex; }
        if (parsed) Assert.That(refused, Is.Null, $"{name} = {value}: parsed but refused by the run");
        else Assert.That(refused?.Field, Is.EqualTo(name), $"{name} = {value}: refused by the option but not by the run (or another field named)");
        Assert.That(refused?.Message, refused is null ? Is.Null : Does.Contain(key.Allowed), "the run's message states the option's range");
    }

    [Test]
    public void Alpha_and_alpha_over_M_are_one_quantity_wherever_settings_are_built()
    {
        var ex = Assert.Throws<InvalidInputException>(() => RunSettings.Parse([new("alpha", "1"), new("alphaOverMu", "0.1")], "test"))!;
        Assert.That(ex.Message, Does.Contain("alpha and alphaOverMu are both set in test"));
        var alpha = RunSettings.Empty.With(Keys.Alpha, 1.0);
        Assert.Throws<InvalidInputException>(() => alpha.With(Keys.AlphaOverMu, 0.1));
        var replaced = alpha.Replacing(Keys.AlphaOverMu, 0.1);
        Assert.That((replaced.Has(Keys.Alpha), replaced.GetOrNull(Keys.AlphaOverMu)), Is.EqualTo((false, (double?)0.1)));
    }

    /// <summary>
    /// Code names a setting through its declaration (Keys.Alpha.Name), never by a string literal of the name: a literal
    /// compiles when misspelt. The exceptions are not the setting: a command named data and a field of the npm package's
    /// files, which happen to share a setting's name.
    /// </summary>
    [Test]
    public void No_code_outside_the_declarations_names_a_setting_by_a_string()
    {
        var names = Keys.All.Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        var allowed = new HashSet<(string, string)>
        {
            ("Verification/Commands/DataCommand.cs", "data"),
            ("Verification/Downloads/NpmMnistPackage.cs", "data"),
        };
        var offenders = new List<string>();
        int declared = 0;
        foreach (var project in new[] { "Simulation", "Verification" })
            foreach (var file in Directory.EnumerateFiles(Repository.Path(project), "*.cs", SearchOption.AllDirectories))
            {
                string rel = Path.GetRelativePath(Repository.Root, file).Replace(Path.DirectorySeparatorChar, '/');
                if (rel.Contains("/obj/") || rel.Contains("/bin/")) continue;
                var literals = Literals().Matches(Comments().Replace(File.ReadAllText(file), "")).Select(m => m.Groups[1].Value).Where(names.Contains).ToList();
                if (rel.StartsWith("Simulation/Settings/", StringComparison.Ordinal)) { declared += literals.Count; continue; }
                offenders.AddRange(literals.Where(l => !allowed.Contains((rel, l))).Select(l => $"{rel}: \"{l}\""));
            }
        Assert.That(offenders, Is.Empty);
        Assert.That(declared, Is.GreaterThanOrEqualTo(Keys.All.Count), "the scan sees the declarations' own names");
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"(?<![@$])""([A-Za-z]+)""")]
    private static partial Regex Literals();
}
