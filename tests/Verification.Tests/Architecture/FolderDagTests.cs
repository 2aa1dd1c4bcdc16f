using System.Reflection;

namespace Verify.Verification.Tests.Architecture;

/// <summary>
/// The folders of each project form the graph docs/design.md draws ("```dag" block), exactly: the real graph is read
/// from the compiled assembly (<see cref="FolderGraph"/>), so the page cannot drift from the code, and neither may have a cycle.
/// </summary>
public class FolderDagTests
{
    private static readonly (string Project, Assembly Assembly, string Root)[] Projects =
    [
        ("Simulation", typeof(Simulation.Runs.Simulator).Assembly, "Verify.Simulation"),
        ("Verification", typeof(Verification.Settings.RunSettings).Assembly, "Verify.Verification"),
    ];

    [Test]
    public void The_folders_use_exactly_what_the_design_page_draws_and_form_no_cycle()
    {
        var drawn = Drawn();
        foreach (var (project, assembly, root) in Projects)
        {
            Assert.That(drawn.ContainsKey(project), $"design.md draws {project}");
            var real = FolderGraph.Of(assembly, root);
            var page = drawn[project];
            var missing = real.SelectMany(kv => kv.Value.Where(to => !page.GetValueOrDefault(kv.Key, []).Contains(to)).Select(to => $"{kv.Key} → {to}")).ToList();
            var stale = page.SelectMany(kv => kv.Value.Where(to => !real.GetValueOrDefault(kv.Key, []).Contains(to)).Select(to => $"{kv.Key} → {to}")).ToList();
            Assert.That(missing, Is.Empty, $"{project}: dependencies in the code that design.md does not draw");
            Assert.That(stale, Is.Empty, $"{project}: dependencies design.md draws that the code does not have");
            Assert.That(real.Keys.Except(page.Keys), Is.Empty, $"{project}: folders design.md does not list");
            Assert.That(FolderGraph.Cycle(real), Is.Null, $"{project}: a cycle");
        }
    }

    [Test]
    public void The_graph_reader_sees_references_the_text_would_hide_and_finds_cycles()
    {
        var real = FolderGraph.Of(typeof(Verification.Settings.RunSettings).Assembly, "Verify.Verification");
        // Commands reaches Reports only inside a lambda (ReportCommand's action) and Cells only through a type's members.
        Assert.That(real["Commands"], Does.Contain("Reports").And.Contain("Sweeps"));
        Assert.That(real["Reports"], Does.Contain("Cells"));
        var cyclic = new Dictionary<string, SortedSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = [] };
        Assert.That(FolderGraph.Cycle(cyclic), Is.EqualTo("A → B → C → A"));
        Assert.That(FolderGraph.Cycle(new Dictionary<string, SortedSet<string>> { ["A"] = ["B"], ["B"] = [] }), Is.Null);
    }

    /// <summary>The ```dag block of docs/design.md: a project name, then "  Folder: A, B" lines.</summary>
    private static Dictionary<string, Dictionary<string, SortedSet<string>>> Drawn()
    {
        var lines = File.ReadAllLines(Repository.Path("docs", "design.md"));
        int start = Array.IndexOf(lines, "```dag");
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "design.md has a ```dag block");
        var result = new Dictionary<string, Dictionary<string, SortedSet<string>>>();
        Dictionary<string, SortedSet<string>>? project = null;
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => l != "```"))
        {
            if (!line.StartsWith(' ')) { project = result[line.Trim()] = new(); continue; }
            var (folder, uses) = (line[..line.IndexOf(':')].Trim(), line[(line.IndexOf(':') + 1)..]);
            project![folder] = new SortedSet<string>(uses.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        }
        return result;
    }
}
