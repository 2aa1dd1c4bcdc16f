using System.CommandLine;
using System.Diagnostics;
using Verify.Verification.Analysis;
using Verify.Verification.Output;
using Verify.Verification.Experiments;
using Verify.Verification.Sweeps;
using Verify.Verification.Reports;
using Verify.Verification.Results;

namespace Verify.Verification.Commands;

/// <summary>
/// `verify report`: runs what an experiment still lacks, compares theory and measurement, and writes
/// reports/&lt;name&gt;/report.md and report.html. With no argument it runs the built-in smoke experiment.
/// </summary>
internal static class ReportCommand
{
    public const string DefaultExperiment = "experiments/smoke.json";

    public static Command Create(CliContext ctx)
    {
        var config = new Argument<string>("config") { Description = $"experiment JSON file [default: {DefaultExperiment}, built in]", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<string>("--out") { Description = "report folder [default: reports/<experiment name>]" };
        var noRun = OptionFactory.Flag("--no-run", "report only the runs already stored; run nothing");
        var opts = new ExperimentOptions();
        var cmd = new Command("report", "Run an experiment (finished runs are reused) and write its Markdown and HTML report with figures.") { config, output, noRun };
        opts.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var clock = Stopwatch.StartNew();
            var exp = LoadOrBuiltIn(p.GetValue(config), p, opts);
            var plan = opts.Plan(p, exp);
            var store = opts.Store(p, exp);
            string outDir = p.GetValue(output) ?? Path.Combine("reports", exp.Name);
            WritableFolder.Check(outDir, "--out", ReportWriter.Targets(outDir)); // before any run: a finished sweep must have somewhere to go
            int reused;
            if (p.GetValue(noRun))
            {
                var found = plan.Select(store.Lookup).ToList();
                reused = found.Count(f => f.Record is not null);
                int unreadable = found.Count(f => f.Unusable);
                foreach (var f in found.Where(f => f.Unusable))
                    ctx.Error.WriteLine($"warning: {Simulation.Files.InputFile.Printable(f.Path)}: {f.Problem}; the run is left out");
                if (unreadable > 0)
                    ctx.Error.WriteLine($"warning: {unreadable} result file(s) in {store.RunsDirectory} are unreadable (corrupt, invalid, another version or other settings) and are left out; run without --no-run to recompute them");
            }
            else
            {
                int cells = plan.Select(r => r.CellKey).Distinct().Count();
                ctx.Error.WriteLine($"{exp.Name}: {plan.Count} runs = {cells} cells × {exp.Seeds} seeds; results in {store.Directory}");
                var outcome = Sweep.Execute(ctx, plan, store, opts.JobCount(p), exp.Name);
                if (outcome.Interrupted)
                {
                    ctx.Error.WriteLine("interrupted: finished runs are saved; run the same command again to resume. No report written.");
                    return outcome.ExitCode;
                }
                reused = outcome.Reused;
            }
            var records = plan.Select(r => (r.Id, Record: store.TryLoad(r))).Where(t => t.Record is not null).ToDictionary(t => t.Id, t => t.Record!);
            if (records.Count == 0) throw new InvalidInputException($"no results for '{exp.Name}' in {store.Directory}: run without --no-run");
            var summary = Analyzer.Summarize(exp, plan, records, reused, clock.Elapsed.TotalSeconds);
            var files = ReportWriter.Write(summary, records.Values.ToList(), outDir);
            foreach (var line in summary.Findings.Headlines) ctx.Out.WriteLine("  " + line);
            ctx.Out.WriteLine($"report: {Path.GetFullPath(files.Html)}");
            ctx.Out.WriteLine($"        {Path.GetFullPath(files.Markdown)}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The given file; or experiments/smoke.json; or, away from a checkout, the copy built into the executable.</summary>
    private static ExperimentConfig LoadOrBuiltIn(string? path, ParseResult p, ExperimentOptions opts)
    {
        if (path is not null) return opts.Load(p, path);
        if (File.Exists(DefaultExperiment)) return opts.Load(p, DefaultExperiment);
        using var s = typeof(ReportCommand).Assembly.GetManifestResourceStream("smoke.json")
            ?? throw new InvalidOperationException("the built-in smoke experiment is missing from this build");
        // An unpredictable name, created exclusively: a link planted in the shared temporary folder is never followed.
        string tmp = Path.Combine(Path.GetTempPath(), $"verify-smoke-{Guid.NewGuid():N}.json");
        using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None)) s.CopyTo(f);
        try { return opts.Load(p, tmp); }
        finally { File.Delete(tmp); }
    }
}
