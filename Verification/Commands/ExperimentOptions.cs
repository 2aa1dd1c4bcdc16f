using System.CommandLine;
using Verify.Verification.Experiments;

namespace Verify.Verification.Commands;

/// <summary>The options every experiment command that runs shares: --set, --results, --jobs, --max-runs, --blas.</summary>
internal sealed class ExperimentOptions
{
    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "override a setting: key=value (a top-level key such as seeds, a run setting such as iterations, or grid.<axis>=v1,v2); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string> Results { get; } = new("--results") { Description = "folder of run results [default: results/<experiment name>]" };
    public Option<int> Jobs { get; } = OptionFactory.Integer("--jobs", "runs in parallel (BLAS threads are split between them) [default: number of cores]", Environment.ProcessorCount, "an integer ≥ 1");

    public Option<long> MaxRuns { get; } = new("--max-runs")
    {
        Description = $"refuse an experiment that plans more runs than this [default: {ExperimentPlan.DefaultMaxRuns}]",
        DefaultValueFactory = _ => ExperimentPlan.DefaultMaxRuns,
    };

    public void AddTo(Command c)
    {
        c.Options.Add(Set);
        c.Options.Add(Results);
        c.Options.Add(Jobs);
        c.Options.Add(MaxRuns);
        c.Options.Add(OptionFactory.Blas());
    }

    /// <summary>The experiment's runs, refused above --max-runs before anything is expanded.</summary>
    public IReadOnlyList<PlannedRun> Plan(ParseResult p, ExperimentConfig config) => ExperimentPlan.Expand(config, MaxRunCount(p));

    /// <summary>The experiment, refused above --max-runs by counting its grids before their values are read (a boundary search's without d).</summary>
    public ExperimentConfig Load(ParseResult p, string configPath, bool searchesD = false) => ExperimentLoader.Load(configPath, p.GetValue(Set) ?? [], MaxRunCount(p), searchesD);

    private long MaxRunCount(ParseResult p)
    {
        long max = p.GetValue(MaxRuns);
        if (max < 1) throw InvalidInputException.MustBe("--max-runs", max.ToString(System.Globalization.CultureInfo.InvariantCulture), "an integer ≥ 1");
        return max;
    }
}
