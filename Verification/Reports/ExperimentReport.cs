using System.Diagnostics;
using Verify.Simulation.Files;
using Verify.Verification.Analysis;
using Verify.Verification.Experiments;
using Verify.Verification.Output;
using Verify.Verification.Results;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Reports;

/// <summary>What `verify report` was asked: the experiment as loaded and planned, and the rest of its options as given (null when absent).</summary>
/// <param name="OutDir">The report folder; null for reports/&lt;experiment name&gt;.</param>
/// <param name="NoRun">Report only the runs already stored.</param>
internal sealed record ReportRequest(ExperimentConfig Experiment, IReadOnlyList<PlannedRun> Plan, string? Results, int Jobs, string? OutDir, bool NoRun);

/// <summary>
/// `verify report`: runs what an experiment still lacks, compares theory and measurement, and writes
/// reports/&lt;name&gt;/report.md and report.html.
/// </summary>
internal static class ExperimentReport
{
    public static Ending Execute(ReportRequest r, CliContext ctx)
    {
        var clock = Stopwatch.StartNew();
        var (exp, plan) = (r.Experiment, r.Plan);
        var store = ResultStore.For(r.Results, exp.Name);
        string outDir = r.OutDir ?? Path.Combine("reports", exp.Name);
        WritableFolder.Check(outDir, "--out", ReportWriter.Targets(outDir)); // before any run: a finished sweep must have somewhere to go
        int reused;
        if (r.NoRun) reused = CountStored(plan, store, ctx.Error);
        else
        {
            int cells = plan.Select(run => run.CellKey).Distinct().Count();
            ctx.Error.WriteLine($"{exp.Name}: {plan.Count} runs = {cells} cells × {exp.Seeds} seeds; results in {store.Directory}");
            var outcome = Sweep.Execute(ctx, plan, store, Sweep.CheckJobs(r.Jobs), exp.Name);
            if (outcome.Interrupted)
            {
                ctx.Error.WriteLine("interrupted: finished runs are saved; run the same command again to resume. No report written.");
                return Interruption.EndingOf(outcome.ExitCode);
            }
            reused = outcome.Reused;
        }
        var records = plan.Select(run => (run.Id, Record: store.TryLoad(run))).Where(t => t.Record is not null).ToDictionary(t => t.Id, t => t.Record!);
        if (records.Count == 0) throw new InvalidInputException($"no results for '{exp.Name}' in {store.Directory}: run without --no-run");
        var summary = Analyzer.Summarize(exp, plan, records, reused, clock.Elapsed.TotalSeconds);
        var files = ReportWriter.Write(summary, records.Values.ToList(), outDir);
        foreach (var line in summary.Findings.Headlines) ctx.Out.WriteLine("  " + line);
        ctx.Out.WriteLine($"report: {Path.GetFullPath(files.Html)}");
        ctx.Out.WriteLine($"        {Path.GetFullPath(files.Markdown)}");
        return Ending.Done;
    }

    /// <summary>The planned runs already stored, each unusable file named: a report without running leaves them out and says so.</summary>
    private static int CountStored(IReadOnlyList<PlannedRun> plan, ResultStore store, TextWriter error)
    {
        var found = plan.Select(store.Lookup).ToList();
        int unreadable = found.Count(f => f.Unusable);
        foreach (var f in found.Where(f => f.Unusable))
            error.WriteLine($"warning: {InputFile.Printable(f.Path)}: {f.Problem}; the run is left out");
        if (unreadable > 0)
            error.WriteLine($"warning: {unreadable} result file(s) in {store.RunsDirectory} are unreadable (corrupt, invalid, another version or other settings) and are left out; run without --no-run to recompute them");
        return found.Count(f => f.Record is not null);
    }
}
