using Verify.Verification.Analysis;
using Verify.Verification.Reports.Figures;
using Verify.Verification.Results;

namespace Verify.Verification.Reports;

/// <summary>The files one report consists of (full paths).</summary>
internal sealed record ReportFiles(string Markdown, string Html, string ResultsJson, string ResultsCsv, IReadOnlyList<string> Figures);

/// <summary>
/// Writes a report directory from an experiment summary and its runs: report.md, report.html (self-
/// contained), figures/*.svg, results.json and results.csv. Every file is written atomically, so an
/// interrupted write leaves the earlier version in place. The data files are written first and the
/// reports last, so a report never links to data that is not there.
/// </summary>
internal static class ReportWriter
{
    /// <summary>
    /// The files a report writes or replaces in <paramref name="outDir"/>, relative to it: the fixed ones and the
    /// figures there now (checked before the work: <see cref="WritableFolder.Check"/>).
    /// </summary>
    public static IEnumerable<string> Targets(string outDir) =>
        new[] { "report.md", "report.html", MarkdownReport.ResultsJson, MarkdownReport.ResultsCsv }.Concat(ExistingFigures(outDir));

    /// <summary>figures/*.svg as they are in <paramref name="outDir"/> (relative paths), empty when there are none.</summary>
    internal static IEnumerable<string> ExistingFigures(string outDir)
    {
        string figures = Path.Combine(outDir, "figures");
        try
        {
            return Directory.Exists(figures)
                ? Directory.EnumerateFiles(figures, "*.svg").Select(f => Path.Combine("figures", Path.GetFileName(f))).ToList()
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return []; } // the writes will say why
    }

    public static ReportFiles Write(ExperimentSummary summary, IReadOnlyList<RunRecord> runs, string outDir)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(runs);
        string dir = Path.GetFullPath(outDir);
        Directory.CreateDirectory(dir);

        var figureSet = FigurePlanner.Draw(summary);
        var figurePaths = new List<string>();
        foreach (var f in figureSet.Figures)
        {
            string path = Path.Combine(dir, "figures", f.FileName);
            AtomicFile.WriteAllText(path, f.Svg);
            figurePaths.Add(path);
        }

        string json = Path.Combine(dir, MarkdownReport.ResultsJson);
        AtomicFile.WriteAllText(json, Json.Write(summary));
        string csv = Path.Combine(dir, MarkdownReport.ResultsCsv);
        AtomicFile.WriteAllText(csv, ResultsCsv.Render(runs));

        string markdown = MarkdownReport.Render(summary, figureSet);
        string md = Path.Combine(dir, "report.md");
        AtomicFile.WriteAllText(md, markdown);
        string html = Path.Combine(dir, "report.html");
        AtomicFile.WriteAllText(html, HtmlReport.Render(markdown, summary.Experiment.Name, figureSet.Figures));

        return new ReportFiles(md, html, json, csv, figurePaths);
    }
}
