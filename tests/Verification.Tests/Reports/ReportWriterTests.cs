using Verify.Simulation.Settings;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Verify.Verification.Analysis;
using Verify.Verification.Claims;
using Verify.Verification.Reports;
using Verify.Verification.Results;

namespace Verify.Verification.Tests.Reports;

public class ReportWriterTests
{
    private const string Hostile = "<script>alert(1)</script>";
    private static readonly string[] Labels = ["STATED", "RECONSTRUCTED", "HEURISTIC", "EXACT"];

    private string _root = "";
    private ExperimentSummary _summary = null!;
    private List<RunRecord> _runs = null!;
    private ReportFiles _files = null!;
    private string _md = "", _html = "";

    private ExperimentSummary _hostile = null!;
    private string _hostileMd = "", _hostileHtml = "";

    [OneTimeSetUp]
    public void Render()
    {
        _root = Path.Combine(Path.GetTempPath(), "verify-report-test-" + Guid.NewGuid().ToString("N"));
        (_summary, _runs) = new SyntheticSummary { Extra = new Dictionary<string, string> { ["mnistDir"] = "grid A, \"first\"" } }.Build();
        _files = ReportWriter.Write(_summary, _runs, Path.Combine(_root, "plain"));
        _md = File.ReadAllText(_files.Markdown);
        _html = File.ReadAllText(_files.Html);

        var (h, hRuns) = new SyntheticSummary
        {
            Name = Hostile,
            Description = "Uses {.x onclick=alert(1)} and <img src=x onerror=alert(1)> and a | pipe\n# not a heading\n- not a list\n1. not a list either",
            Notes = "*not emphasis* [a link](javascript:alert(1)) $x$ ~~no~~",
            Mus = [4],
            Ds = [100, 1000],
        }.Build();
        // A varying setting whose values carry Markdown table syntax and HTML (a text setting: the MNIST folder).
        h = h with { Cells = [h.Cells[0] with { Settings = h.Cells[0].Settings.With(Keys.MnistDir, "a|b <b>bold</b>") },
            h.Cells[1] with { Settings = h.Cells[1].Settings.With(Keys.MnistDir, "plain") }, .. h.Cells.Skip(2)] };
        _hostile = h;
        var hf = ReportWriter.Write(h, hRuns, Path.Combine(_root, "hostile"));
        _hostileMd = File.ReadAllText(hf.Markdown);
        _hostileHtml = File.ReadAllText(hf.Html);
    }

    [OneTimeTearDown]
    public void Clean()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Test]
    public void Every_file_exists_where_the_result_says()
    {
        string dir = Path.Combine(_root, "plain");
        Assert.That(_files.Markdown, Is.EqualTo(Path.Combine(dir, "report.md")));
        Assert.That(_files.Html, Is.EqualTo(Path.Combine(dir, "report.html")));
        Assert.That(_files.ResultsJson, Is.EqualTo(Path.Combine(dir, "results.json")));
        Assert.That(_files.ResultsCsv, Is.EqualTo(Path.Combine(dir, "results.csv")));
        foreach (var f in new[] { _files.Markdown, _files.Html, _files.ResultsJson, _files.ResultsCsv }.Concat(_files.Figures))
            Assert.That(File.Exists(f), f);
        Assert.That(_files.Figures, Is.Not.Empty);
        Assert.That(_files.Figures.All(f => Path.GetDirectoryName(f) == Path.Combine(dir, "figures") && f.EndsWith(".svg")));
        Assert.That(Directory.GetFiles(dir, "*.tmp-*", SearchOption.AllDirectories), Is.Empty, "no temporary file is left behind");
    }

    [Test]
    public void Markdown_opens_with_the_summary_of_the_theorems_claims()
    {
        var headings = Regex.Matches(_md, "^#{1,2} .*$", RegexOptions.Multiline).Select(m => m.Value).ToList();
        Assert.That(headings[0], Does.StartWith("# Verify report: synthetic grid"));
        Assert.That(headings[1], Is.EqualTo("## Summary"));
        string top = Section(_md, "## Summary");
        foreach (var h in _summary.Findings.Headlines) Assert.That(top, Does.Contain(MarkdownText.Inline(h)));
        Assert.That(top.IndexOf("- " + MarkdownText.Inline(Headlines.Forms)), Is.LessThan(top.IndexOf("- Sanity checks")), "the theorems' outcome comes first");
        foreach (var k in _summary.Findings.Claims.AtC.ByKind)
            Assert.That(top, Does.Contain($"| {k.Claim.Name()} | {k.Tested} | {k.Upheld} |"), "one row per claim kind at C");
        // The rule is stated: its name (Holm), its level and its a₀, the numbers shown (not the sentence around them).
        Assert.That(top, Does.Contain("Holm").And.Contain("5%").And.Contain("a₀ = 0.005"), "the rule is stated");
        Assert.That(top, Does.Contain("**untestable**").And.Contain("**vacuous**").And.Contain("a contradiction needs"), "outcomes that cannot fail are named, and the power is on the page");
        Assert.That(top, Does.Contain("### Sanity checks").And.Contain("EXACT lower bounds"));
        Assert.That(top, Does.Contain("fitted slope").And.Contain("95% interval").And.Contain("theory slope (STATED, asymptotic)"));
        Assert.That(top, Does.Contain(_summary.Experiment.Scale));
        foreach (var label in Labels) Assert.That(top, Does.Contain($"**{label}**"), "the legend explains " + label);
        Assert.That(top, Does.Contain("C is unknown"));
        Assert.That(_md.IndexOf("## Summary"), Is.LessThan(_md.IndexOf("## Figures")));
        Assert.That(_md, Does.Contain("](figures/claims-vs-c.svg)"), "the claims against C");
    }

    [Test]
    public void Markdown_has_figures_cells_environment_config_and_links()
    {
        foreach (var f in _files.Figures)
            Assert.That(_md, Does.Contain($"](figures/{Path.GetFileName(f)})"));
        string cells = Section(_md, "## Cells");
        string header = cells.Split('\n').First(l => l.StartsWith("| "));
        foreach (var label in Labels.Skip(1)) Assert.That(header, Does.Contain("(" + label), "theory columns carry " + label);
        Assert.That(header, Does.Contain("at C = 1"));
        Assert.That(header, Does.Contain("C needed").And.Contain("binding").And.Contain("EXACT lower bounds").And.Contain("claims at C = 1"));
        Assert.That(header, Does.Not.Contain("best robust"), "a lower bound is not a best value");
        Assert.That(header, Does.Contain("M (mu)").And.Contain("| d |").And.Contain("α (alpha)"), "the settings that vary");
        Assert.That(cells.Split('\n').Count(l => l.StartsWith("| ")) - 1, Is.EqualTo(_summary.Cells.Count), "one row per cell");

        string env = Section(_md, "## Environment");
        var e = _summary.Environment;
        foreach (var v in new[] { e.Machine.Cpu, e.Machine.Runtime, e.Machine.Os, e.Machine.Blas, "f64", "rotation-invariant", "2026-11-25" })
            Assert.That(env, Does.Contain(v));
        Assert.That(env, Does.Match($@"\b{e.Runs}\b\D*\b{e.Runs - e.RunsReused} computed\D*\b{e.RunsReused} reused"), "the runs, computed and reused");

        string cfg = Section(_md, "## Configuration as run");
        Assert.That(cfg, Does.Contain("```json\n" + _summary.Experiment.ConfigAsRun.TrimEnd() + "\n```"));
        Assert.That(_md, Does.Contain("[results.json](results.json)").And.Contain("[results.csv](results.csv)"));
    }

    [Test]
    public void Html_is_one_self_contained_file_with_every_figure_inline()
    {
        Assert.That(_html, Does.Not.Contain("<script"));
        Assert.That(_html, Does.Not.Contain("<link"));
        Assert.That(_html, Does.Not.Contain("<img"));
        Assert.That(_html, Does.Not.Contain("src=\"http"));
        Assert.That(_html, Does.Not.Contain("href=\"http"), "no external resource (the links to results.* are relative)");
        Assert.That(_html, Does.Not.Contain("@import").And.Not.Contain("url(http"));
        Assert.That(Regex.Matches(_html, "<svg\\b").Count, Is.EqualTo(_files.Figures.Count), "every figure inline, once");
        for (int i = 1; i <= _files.Figures.Count; i++)
            Assert.That(_html, Does.Contain($"id=\"fig{i}-"), $"figure {i}'s ids are prefixed");
        Assert.That(_html, Does.Contain("<style>"));
        Assert.That(_html, Does.Contain("<table>"), "pipe tables are rendered");
        Assert.That(_html, Does.Contain("href=\"results.json\"").And.Contain("href=\"results.csv\""));
    }

    [Test]
    public void Html_is_well_formed_and_its_ids_are_unique()
    {
        foreach (var html in new[] { _html, _hostileHtml })
        {
            var doc = ParseXml(html);
            var ids = doc.Descendants().Select(e => (string?)e.Attribute("id")).Where(i => i is not null).ToList();
            Assert.That(ids, Is.Unique, "several inline SVGs must not share clip-path or image ids");
            var refs = Regex.Matches(html, "url\\(#([^)]+)\\)").Select(m => m.Groups[1].Value).Distinct();
            Assert.That(refs.Where(r => !ids.Contains(r)), Is.Empty, "every url(#…) resolves inside the page");
        }
    }

    [Test]
    public void User_text_is_escaped_in_html()
    {
        Assert.That(_hostileHtml, Does.Not.Contain("<script"));
        Assert.That(_hostileHtml, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
        Assert.That(_hostileHtml, Does.Not.Contain("<img"));
        Assert.That(_hostileHtml, Does.Not.Contain("<b>bold</b>"));
        var doc = ParseXml(_hostileHtml);
        var attrs = doc.Descendants().SelectMany(e => e.Attributes()).ToList();
        Assert.That(attrs.Where(a => a.Name.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase)), Is.Empty, "no event handler attribute");
        Assert.That(attrs.Where(a => a.Value.Contains("javascript:", StringComparison.OrdinalIgnoreCase)), Is.Empty, "no javascript: link");
        Assert.That(doc.Descendants().Where(e => e.Name.LocalName == "em").Select(e => e.Value), Has.None.Contains("not emphasis"));
        Assert.That(doc.Descendants().Where(e => e.Name.LocalName is "del" or "math" || ((string?)e.Attribute("class") ?? "").Contains("math")), Is.Empty,
            "no strikethrough, no math");
        Assert.That(doc.Descendants().Count(e => e.Name.LocalName == "h1"), Is.EqualTo(1), "'# not a heading' stays text");
        Assert.That(doc.Descendants().Where(e => e.Name.LocalName == "title").Single().Value, Does.Contain(Hostile), "the title is text");
        // The pipe inside a setting value stays inside its table cell.
        var row = doc.Descendants().First(e => e.Name.LocalName == "td" && e.Value.Contains("a|b")).Parent!;
        var header = doc.Descendants().First(e => e.Name.LocalName == "tr" && e.Elements().Any(c => c.Name.LocalName == "th" && c.Value == "mnistDir"));
        Assert.That(row.Elements().Count(), Is.EqualTo(header.Elements().Count()));
        Assert.That(row.Elements().Any(c => c.Value == "a|b <b>bold</b>"));
    }

    [Test]
    public void User_text_is_escaped_in_markdown()
    {
        Assert.That(_hostileMd, Does.StartWith("# Verify report: \\<script\\>alert(1)\\</script\\>\n"));
        Assert.That(_hostileMd, Does.Contain("a\\|b \\<b\\>bold\\</b\\>"), "pipes and tags in table cells are escaped");
        Assert.That(_hostileMd, Does.Contain("\\# not a heading").And.Contain("\\- not a list").And.Contain("1\\. not a list either"));
        Assert.That(_hostileMd, Does.Contain("\\{.x onclick=alert(1)\\}"));
        Assert.That(_hostileMd, Does.Contain("\\*not emphasis\\* \\[a link\\](javascript:alert(1))"));
    }

    [Test]
    public void Csv_has_a_header_and_one_row_per_run_and_round_trips()
    {
        string text = File.ReadAllText(_files.ResultsCsv);
        var rows = Rfc4180.Parse(text);
        Assert.That(rows, Has.Count.EqualTo(_runs.Count + 1));
        var header = rows[0];
        var keys = _runs.SelectMany(r => r.Settings.Given).Where(k => k != Keys.Seed).Select(k => k.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.That(header[0], Is.EqualTo("runId"));
        Assert.That(header.Skip(1).Take(keys.Count), Is.EqualTo(keys), "settings columns, sorted, after the run's id");
        Assert.That(header[keys.Count + 1], Is.EqualTo("seed"));
        foreach (var col in new[] { "interpolates", "cleanTest", "robustTest", "cleanTestCleanLabels", "robustTestCleanLabels", "cleanTestWilsonLow",
                     "robustTestWilsonHigh", "robustTrain", "robustTrainLoss", "diverged", "secondsPerIteration", "modeUsed", "precisionUsed", "backend" })
            Assert.That(header, Does.Contain(col));
        Assert.That(header, Is.Unique, "a column name once: a CSV reader keys columns by name");
        Assert.That(rows.All(r => r.Count == header.Count), "every row has every column");
        for (int i = 0; i < _runs.Count; i++)
        {
            var row = rows[i + 1];
            var run = _runs[i];
            Assert.That(ulong.Parse(row[header.IndexOf("seed")]), Is.EqualTo(run.Seed));
            foreach (var k in keys) Assert.That(row[header.IndexOf(k)], Is.EqualTo(run.Settings.TextOf(Keys.Find(k)!) ?? ""));
            Assert.That(double.Parse(row[header.IndexOf("robustTest")], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(run.Metrics!.RobustTest.Rate));
            Assert.That(row[0], Is.EqualTo(Verify.Verification.Settings.RunId.Of(run.Settings)), "the id is the run's file name in results/<name>/runs");
            Assert.That(int.Parse(row[header.IndexOf("testPoints")]), Is.EqualTo(run.Metrics.RobustTest.Total));
            if (run.Metrics.RobustTestCertified is { } upper)
            {
                Assert.That(double.Parse(row[header.IndexOf("robustTestCertified")], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(upper.Rate));
                Assert.That(int.Parse(row[header.IndexOf("undecided")]), Is.EqualTo(run.Metrics.Certification!.Undecided));
            }
            else Assert.That(row[header.IndexOf("robustTestCertified")] + row[header.IndexOf("undecided")], Is.Empty, "a run without a certificate leaves both empty");
        }
    }

    [Test]
    public void Every_csv_column_is_documented()
    {
        // docs/claims.md, "In results.csv", names every column that is not a setting (settings are documented by `verify train --help`).
        string docs = File.ReadAllText(Repository.Path("docs", "claims.md"));
        string section = docs[docs.IndexOf("## In results.csv", StringComparison.Ordinal)..];
        foreach (var col in ResultsCsv.MetricColumns.Prepend(ResultsCsv.RunIdColumn))
            Assert.That(section, Does.Contain($"`{col}`"), col);
    }

    [Test]
    public void Csv_quotes_a_value_with_a_comma_or_a_quote()
    {
        string text = File.ReadAllText(_files.ResultsCsv);
        Assert.That(text, Does.Contain(",\"grid A, \"\"first\"\"\","));
        Assert.That(text, Does.Contain("\r\n"));
        Assert.That(ResultsCsv.Escape("plain"), Is.EqualTo("plain"));
        Assert.That(ResultsCsv.Escape("a\nb"), Is.EqualTo("\"a\nb\""));
        Assert.That(Rfc4180.Parse("a,\"b,\"\"c\"\"\"\r\n")[0], Is.EqualTo(new[] { "a", "b,\"c\"" }));
    }

    [Test]
    public void Results_json_is_the_whole_summary()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(_files.ResultsJson));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("experiment").GetProperty("name").GetString(), Is.EqualTo(_summary.Experiment.Name));
        Assert.That(root.GetProperty("cells").GetArrayLength(), Is.EqualTo(_summary.Cells.Count));
        Assert.That(root.GetProperty("findings").GetProperty("fits").GetArrayLength(), Is.EqualTo(_summary.Findings.Fits.Count));
        Assert.That(root.GetProperty("environment").GetProperty("machine").GetProperty("blas").GetString(), Is.EqualTo(_summary.Environment.Machine.Blas));
        Assert.That(root.GetProperty("cells")[0].GetProperty("theory").GetProperty("heuristic").GetProperty("clean").GetDouble(),
            Is.EqualTo(_summary.Cells[0].Theory.Heuristic.Clean));
    }

    [Test]
    public void Results_json_is_grouped_as_the_summary_under_its_schema()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(_files.ResultsJson));
        var root = doc.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "schema", "experiment", "environment", "cells", "findings" }));
        Assert.That(root.GetProperty("schema").GetString(), Is.EqualTo("verify.results/2"));
        var experiment = root.GetProperty("experiment");
        Assert.That(experiment.GetProperty("seeds").GetProperty("perCell").GetInt32(), Is.EqualTo(_summary.Experiment.Seeds.PerCell));
        Assert.That(experiment.GetProperty("constants").GetProperty("c").GetDouble(), Is.EqualTo(_summary.Experiment.Constants.C));
        Assert.That(root.GetProperty("findings").EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "fits", "claims", "noiseModels", "sanity", "heuristic", "mnist", "certification", "observations", "headlines" }));
        var cell = root.GetProperty("cells")[0];
        Assert.That(cell.EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "key", "settings", "parameters", "measured", "certification", "theory", "findings", "curve" }), "no \"verdicts\" any more");
        Assert.That(cell.GetProperty("theory").EnumerateObject().Select(p => p.Name),
            Is.EqualTo(new[] { "assumptions", "atC", "collapse", "exact", "heuristic", "gaussian", "cleanNeedsMoreThanAllowed", "robustNeedsMoreThanAllowed" }));
    }

    [Test]
    public void A_cell_without_theory_knows_nothing_but_whether_it_is_gaussian()
    {
        var t = CellTheory.Unknown(gaussian: true);
        Assert.That((t.Gaussian, t.Collapse, t.AtC.CleanBound, t.AtC.RobustBound, t.AtC.RobustBoundReason), Is.EqualTo((true, false, (double?)null, (double?)null, "M unknown")));
        Assert.That(new[] { t.Assumptions.CStar, t.Assumptions.CleanCStar, t.Exact.BayesClean, t.Exact.RobustLowerBound, t.Heuristic.Clean, t.Heuristic.CleanLabelRobust }, Is.All.NaN);
        Assert.That((t.CleanNeedsMoreThanAllowed, t.RobustNeedsMoreThanAllowed), Is.EqualTo((false, false)), "NaN needs nothing");
    }

    [Test]
    public void Writing_again_replaces_the_files()
    {
        string dir = Path.Combine(_root, "again");
        var (s, runs) = new SyntheticSummary { Mus = [4], Ds = [100, 1000], Ratios = [0.5], Seeds = 1, Curves = false }.Build();
        ReportWriter.Write(s, runs, dir);
        var second = ReportWriter.Write(s with { Experiment = s.Experiment with { Name = "second" } }, runs, dir);
        Assert.That(File.ReadAllText(second.Markdown), Does.StartWith("# Verify report: second"));
        Assert.That(Directory.GetFiles(dir, "*.tmp-*", SearchOption.AllDirectories), Is.Empty);
    }

    private static XDocument ParseXml(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }

    /// <summary>The text from a heading to the next heading of the same or a higher level.</summary>
    private static string Section(string md, string heading)
    {
        int start = md.IndexOf(heading + "\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), heading);
        int next = md.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return next < 0 ? md[start..] : md[start..next];
    }
}
