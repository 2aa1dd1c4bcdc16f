using System.Reflection;
using System.Text.RegularExpressions;

namespace Verify.Verification.Tests.Architecture;

/// <summary>
/// The dependency rules of docs/design.md, checked on the assemblies and the sources: Bounds depends on
/// no other project, Simulation not on the CLI, and no pipeline folder of Verification reaches into
/// Commands (the composition root depends on the pipeline, never the reverse).
/// </summary>
public partial class DependencyTests
{

    private static IEnumerable<string> Sources(string project) => Directory
        .EnumerateFiles(Path.Combine(Repository.Root, project), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    /// <summary>The code of a file without its comments and string literals (prose may say "Commands.").</summary>
    private static string Code(string file)
    {
        string text = File.ReadAllText(file);
        text = Comments().Replace(text, "");
        return Strings().Replace(text, "\"\"");
    }

    [Test]
    public void Bounds_references_no_other_project_and_Simulation_not_the_cli()
    {
        var bounds = typeof(Verify.Bounds.Regime).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.That(bounds, Has.None.StartsWith("Verify.Simulation").And.None.EqualTo("verify"));
        var simulation = typeof(Verify.Simulation.Runs.Simulator).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.That(simulation, Has.None.EqualTo("verify"));
        foreach (var file in Sources("Bounds"))
            Assert.That(Code(file), Does.Not.Match(@"\bVerify\.(Simulation|Verification)\b"), file);
        foreach (var file in Sources("Simulation"))
            Assert.That(Code(file), Does.Not.Match(@"\bVerify\.Verification\b"), file);
    }

    [Test]
    public void No_pipeline_folder_refers_to_Commands()
    {
        string commands = Path.Combine(Repository.Root, "Verification", "Commands") + Path.DirectorySeparatorChar;
        string program = Path.Combine(Repository.Root, "Verification", "Program.cs");
        var offenders = Sources("Verification")
            .Where(f => !f.StartsWith(commands, StringComparison.Ordinal) && f != program)
            .Where(f => Regex.IsMatch(Code(f), @"\bVerification\.Commands\b|(?<![\w.])Commands\.[A-Z]"))
            .ToList();
        Assert.That(offenders, Is.Empty);
        // The rule bites: a command file does refer to the pipeline.
        Assert.That(Code(Path.Combine(commands, "ReportCommand.cs")), Does.Match(@"using Verify\.Verification\.(Reports|Sweeps|Analysis);"));
    }

    [Test]
    public void Every_namespace_is_its_folder()
    {
        foreach (var (project, root) in new[] { ("Bounds", "Verify.Bounds"), ("Simulation", "Verify.Simulation"), ("Verification", "Verify.Verification") })
            foreach (var file in Sources(project))
            {
                var ns = Regex.Match(File.ReadAllText(file), @"^namespace ([\w.]+);", RegexOptions.Multiline);
                if (!ns.Success) continue; // top-level program
                string folder = Path.GetRelativePath(Path.Combine(Repository.Root, project), Path.GetDirectoryName(file)!);
                string expected = folder == "." ? root : root + "." + folder.Replace(Path.DirectorySeparatorChar, '.');
                // The one shared exception type sits at the root namespace, in the library that depends on nothing.
                if (Path.GetFileName(file) == "InvalidInputException.cs") expected = "Verify";
                Assert.That(ns.Groups[1].Value, Is.EqualTo(expected), file);
            }
    }

    /// <summary>
    /// Property tests draw their cases through Fuzz.ForAll (tests/Shared/Fuzz.cs), the same cases in every run: CsCheck's
    /// own Sample draws new ones in every run (its seed: fixes only the first), so a test calling it could fail by chance.
    /// </summary>
    [Test]
    public void Property_tests_draw_a_fixed_stream_of_cases()
    {
        var tests = Directory.EnumerateFiles(Path.Combine(Repository.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        string fuzz = Path.Combine(Repository.Root, "tests", "Shared", "Fuzz.cs");
        Assert.That(tests, Does.Contain(fuzz));
        var offenders = tests.Where(f => f != fuzz && Regex.IsMatch(Code(f), @"(?<!Sampler)\.Sample\s*\(|\bCheck\.Sample\b")).ToList();
        Assert.That(offenders, Is.Empty, "CsCheck's Sample in a test: use ForAll");
        Assert.That(tests.Count(f => Regex.IsMatch(Code(f), @"\.ForAll\s*\(")), Is.GreaterThan(10), "the property tests use ForAll");
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"@?\$?""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex Strings();
}
