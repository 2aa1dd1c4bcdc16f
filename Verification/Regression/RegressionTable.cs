using Spectre.Console;
using Verify.Simulation.Kernels;
using Verify.Verification.Text;

namespace Verify.Verification.Regression;

/// <summary>What `verify regress` prints: per-metric summary, the comparisons outside tolerance (or all), and the verdict line.</summary>
internal static class RegressionTable
{
    public static void Render(IAnsiConsole console, Baseline b, List<MetricDiff> diffs, int runs, bool allRows)
    {
        console.MarkupLine($"[bold]verify regress[/] {Markup.Escape(b.Name)}: {runs} runs rerun; baseline from {b.Created:yyyy-MM-dd} (verify {Markup.Escape(b.Version)}, {Markup.Escape(b.Environment.Blas)}), now verify {Markup.Escape(Simulation.Runs.Simulator.Version)}, {Markup.Escape(Backend.Describe(Backend.Default))}");
        var summary = new Table().Border(TableBorder.Rounded).Title("Per metric");
        summary.AddColumns("metric", "tolerance", "compared", "outside", "largest deviation");
        foreach (var g in diffs.GroupBy(d => d.Metric))
        {
            int outside = g.Count(d => !d.Within);
            double worst = g.Max(d => Math.Abs(d.Rerun - d.Baseline));
            summary.AddRow(g.Key, Markup.Escape(g.First().Allowed.Split(' ')[0].StartsWith('[') ? "within the baseline's 95% Wilson interval" : g.First().Allowed),
                g.Count().ToString(), outside == 0 ? "[green]0[/]" : $"[red]{outside}[/]", Fmt.Num(worst));
        }
        console.Write(summary);
        var rows = diffs.Where(d => allRows || !d.Within).ToList();
        if (rows.Count > 0)
        {
            var t = new Table().Border(TableBorder.Rounded).Title(allRows ? "All comparisons" : "Outside tolerance");
            t.AddColumns("run", "cell", "metric", "baseline", "rerun", "allowed", "status");
            foreach (var d in rows)
                t.AddRow(d.RunId, Markup.Escape(Abbreviate(d.Cell)), d.Metric, Fmt.Num(d.Baseline, 8), Fmt.Num(d.Rerun, 8), Markup.Escape(d.Allowed),
                    d.Within ? "[green]ok[/]" : "[red]DRIFT[/]");
            console.Write(t);
        }
        int bad = diffs.Count(d => !d.Within);
        console.MarkupLine(bad == 0 ? $"[green]All {diffs.Count} comparisons within tolerance.[/]" : $"[red]{bad} of {diffs.Count} comparisons outside tolerance.[/]");
    }

    private static string Abbreviate(string cell)
    {
        var keep = new[] { "d=", "mu=", "alpha=", "resolution=", "data=" };
        return string.Join(" ", cell.Split(';').Where(p => keep.Any(k => p.StartsWith(k, StringComparison.Ordinal))));
    }
}
