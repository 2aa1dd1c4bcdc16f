using System.Reflection;
using System.Text.RegularExpressions;

namespace Verify.Verification.Tests.Architecture;

/// <summary>
/// The test categories are the ones in tests/Shared/Categories.cs and nothing else: NUnit takes any string as a category,
/// so a misspelt `[Category("Slwo")]` would silently make a new category, and `--filter "Category!=Slow"` (the fast tier)
/// would run that slow test. Checked on the sources of every test project and, by reflection, on this assembly.
/// </summary>
public partial class CategoryTests
{
    private static readonly string[] Known = ["Slow", "Slurm", "Cluster"];

    private static IEnumerable<string> TestSources() => Directory
        .EnumerateFiles(Path.Combine(Repository.Root, "tests"), "*.cs", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    [Test]
    public void The_categories_are_constants_named_as_they_read()
    {
        var constants = typeof(Categories).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        Assert.That(constants.Keys, Is.EquivalentTo(Known));
        Assert.That(constants.Where(c => c.Key != c.Value), Is.Empty, "each constant is its own name");
        Assert.That(Categories.All, Is.EquivalentTo(Known));
        foreach (var project in new[] { "Bounds.Tests", "Simulation.Tests", "Verification.Tests" })
            Assert.That(File.ReadAllText(Path.Combine(Repository.Root, "tests", project, project + ".csproj")),
                Does.Contain(@"<Compile Include=""..\Shared\Categories.cs"" Link=""Categories.cs"" />"), $"{project} links the categories");
    }

    /// <summary>
    /// Every category a test source sets (`[Category(…)]`, `Category = …` on TestCase, TestCaseSource or TestFixture,
    /// `.SetCategory(…)` on TestCaseData) is a constant of <see cref="Categories"/>, never a string; no attribute derives from
    /// CategoryAttribute (its class name would be a category).
    /// </summary>
    [Test]
    public void Every_category_in_the_test_sources_is_a_known_constant()
    {
        var sources = TestSources().ToList();
        Assert.That(sources, Does.Contain(Path.Combine(Repository.Root, "tests", "Shared", "Categories.cs")));
        var found = new List<string>();
        var offenders = new List<string>();
        foreach (var file in sources)
        {
            string code = Comments().Replace(File.ReadAllText(file), "");
            string where = Path.GetRelativePath(Repository.Root, file);
            foreach (Match m in Usage().Matches(code))
            {
                string argument = m.Groups["arg"].Value.Trim();
                var constant = Constant().Match(argument);
                if (constant.Success && Known.Contains(constant.Groups[1].Value)) found.Add(constant.Groups[1].Value);
                else offenders.Add($"{where}: {m.Value.Trim()}");
            }
            if (DerivedAttribute().IsMatch(code)) offenders.Add($"{where}: a class deriving from CategoryAttribute");
        }
        Assert.That(offenders, Is.Empty, "write [Category(Categories.Slow)] (or Slurm, Cluster): a string can be misspelt into a new category");
        // The scan sees the categories in use (it would find nothing if the patterns stopped matching).
        Assert.That(found.Distinct(), Is.EquivalentTo(Known));
    }

    /// <summary>The tests that need Slurm or a cluster are always slow: the fast tier must not wait on a scheduler.</summary>
    [Test]
    public void Slurm_and_cluster_sources_are_also_slow()
    {
        var files = TestSources()
            .Select(f => (File: f, Code: Comments().Replace(File.ReadAllText(f), "")))
            .Where(f => Regex.IsMatch(f.Code, @"\bCategory\s*\(\s*Categories\.(Slurm|Cluster)\s*\)"))
            .ToList();
        Assert.That(files, Is.Not.Empty);
        foreach (var (file, code) in files)
            Assert.That(code, Does.Match(@"\bCategory\s*\(\s*Categories\.Slow\s*\)"), Path.GetRelativePath(Repository.Root, file));
    }

    private static IEnumerable<string> CategoriesOf(ICustomAttributeProvider member) => member.GetCustomAttributes(true)
        .SelectMany(a => a switch
        {
            CategoryAttribute c => [c.Name],
            // TestCase, TestCaseSource and TestFixture take a comma-separated Category too.
            _ when a.GetType().GetProperty("Category", typeof(string)) is { } p && p.GetValue(a) is string s => s.Split(',', StringSplitOptions.TrimEntries),
            _ => [],
        });

    private static bool IsTest(MethodInfo m) => m.IsDefined(typeof(TestAttribute), true) || m.IsDefined(typeof(TestCaseAttribute), true)
        || m.IsDefined(typeof(TestCaseSourceAttribute), true) || m.IsDefined(typeof(TheoryAttribute), true);

    private static readonly List<(Type Fixture, List<MethodInfo> Tests)> Fixtures = typeof(CategoryTests).Assembly.GetTypes()
        .Where(t => t.IsClass && !t.IsAbstract)
        .Select(t => (t, t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Where(IsTest).ToList()))
        .Where(f => f.Item2.Count > 0)
        .ToList();

    [Test]
    public void Every_category_on_the_loaded_tests_is_known_and_slurm_is_slow()
    {
        Assert.That(Fixtures, Has.Count.GreaterThan(50));
        var used = new HashSet<string>();
        foreach (var (fixture, tests) in Fixtures)
        {
            var own = CategoriesOf(fixture).ToList();
            used.UnionWith(own);
            foreach (var test in tests)
            {
                var all = own.Concat(CategoriesOf(test)).ToList();
                used.UnionWith(all);
                if (all.Contains(Categories.Slurm) || all.Contains(Categories.Cluster))
                    Assert.That(all, Does.Contain(Categories.Slow), $"{fixture.Name}.{test.Name} needs a scheduler: Slow as well");
            }
        }
        Assert.That(used, Is.SubsetOf(Known));
        Assert.That(used, Does.Contain(Categories.Slow));
    }

    /// <summary>
    /// The fast tier keeps every area: each test namespace, and each fixture that is not slow as a whole, has a test
    /// outside Slow. (A fixture whose every test is slow says so once, on the class.)
    /// </summary>
    [Test]
    public void The_fast_tier_keeps_a_test_of_every_fixture_and_namespace()
    {
        bool Slow(ICustomAttributeProvider member) => CategoriesOf(member).Contains(Categories.Slow);
        var fast = new HashSet<string>();
        foreach (var (fixture, tests) in Fixtures)
        {
            if (Slow(fixture)) continue;
            Assert.That(tests.Where(t => !Slow(t)), Is.Not.Empty, $"{fixture.FullName}: every test is Slow; mark the class instead");
            fast.Add(fixture.Namespace!);
        }
        Assert.That(Fixtures.Select(f => f.Fixture.Namespace!).Distinct().Except(fast), Is.Empty, "a test namespace with nothing in the fast tier");
    }

    // `[Category(…)]` (also `[Test, Category(…)]`), `.SetCategory(…)` and `Category = …` in an attribute's named arguments.
    [GeneratedRegex(@"(?:(?<![\w.])Category\s*\(|\.SetCategory\s*\()(?<arg>[^()]*)\)|(?<![\w.])Category\s*=\s*(?<arg>""[^""]*""|[^,)\]]*)")]
    private static partial Regex Usage();

    [GeneratedRegex(@"^Categories\.(\w+)$")]
    private static partial Regex Constant();

    [GeneratedRegex(@":\s*(NUnit\.Framework\.)?CategoryAttribute\b")]
    private static partial Regex DerivedAttribute();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
