using System.CommandLine;
using Verify.Verification.Experiments;
using Verify.Verification.Sweeps;

namespace Verify.Verification.Commands;

/// <summary>The options every experiment command shares: --set, --results, --jobs.</summary>
internal sealed class ExperimentOptions
{
    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "override a setting: key=value (a top-level key such as seeds, a run setting such as iterations, or grid.<axis>=v1,v2); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };
    public Option<string> Results { get; } = new("--results") { Description = "folder of run results [default: results/<experiment name>]" };
    public Option<int> Jobs { get; } = OptionFactory.Integer("--jobs", "runs in parallel (BLAS threads are split between them) [default: number of cores]", Environment.ProcessorCount, "an integer ≥ 1");

    public void AddTo(Command c)
    {
        c.Options.Add(Set);
        c.Options.Add(Results);
        c.Options.Add(Jobs);
    }

    public ExperimentConfig Load(ParseResult p, string configPath) => ExperimentLoader.Load(configPath, p.GetValue(Set) ?? []);

    public ResultStore Store(ParseResult p, ExperimentConfig config) => new(p.GetValue(Results) ?? Path.Combine("results", config.Name));

    public int JobCount(ParseResult p)
    {
        int j = p.GetValue(Jobs);
        if (j < 1) throw new InvalidInputException($"--jobs = {j} is not allowed: must be an integer ≥ 1");
        return j;
    }
}
