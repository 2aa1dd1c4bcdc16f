using System.CommandLine;
using Verify.Verification.Output;
using Verify.Verification.Experiments;
using Verify.Verification.Reports;

namespace Verify.Verification.Commands;

/// <summary>`verify report`: the options of <see cref="ExperimentReport"/>; with no argument, the built-in smoke experiment.</summary>
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
            var exp = LoadOrBuiltIn(p.GetValue(config), p, opts);
            var request = new ReportRequest(exp, opts.Plan(p, exp), p.GetValue(opts.Results), p.GetValue(opts.Jobs), p.GetValue(output), p.GetValue(noRun));
            return ExitCodes.Of(ExperimentReport.Execute(request, ctx));
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
