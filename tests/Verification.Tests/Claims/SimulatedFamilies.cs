using Verify.Simulation.Settings;
using Verify.Verification.Analysis;
using Verify.Verification.Claims;
using Verify.Verification.Experiments;
using Verify.Verification.Settings;
using Verify.Verification.Cells;

namespace Verify.Verification.Tests.Claims;

/// <summary>
/// The claims and sanity checks a shipped experiment makes, at the scale it runs (its grid, seeds and test points),
/// built from hand-made runs that all interpolate, so that tests can put any errors into them.
/// </summary>
internal sealed record SimulatedFamily(string Name, int Seeds, double Delta, IReadOnlyList<Claim> Claims, IReadOnlyList<(SanityCheck Check, int Tests)> Checks)
{
    /// <summary>The smoke job as shipped.</summary>
    public static SimulatedFamily Smoke => Of("smoke.json");

    /// <summary>paper-synthetic at the scale of its committed report (reports/README.md): 3 seeds, d on 7 points, 2000 test points.</summary>
    public static SimulatedFamily PaperSynthetic => Of("paper-synthetic.json", "seeds=3", "grid.d=100,464,2154,10000,46416,215443,1000000");

    /// <summary>The stress experiment as shipped: the paper's cells crossed with the label-noise rules and noise families.</summary>
    public static SimulatedFamily Stress => Of("stress.json");

    public static SimulatedFamily Of(string experiment, params string[] sets)
    {
        var config = ExperimentLoader.Load(Repository.Path("experiments", experiment), sets);
        var claims = new List<Claim>();
        var checks = new List<(SanityCheck, int)>();
        foreach (var cell in ExperimentPlan.Expand(config).GroupBy(r => r.CellKey))
        {
            var settings = cell.First().Settings.Without(Keys.Seed);
            int tests = settings.Get(Keys.NTest);
            var runs = HandMadeCells.FromSettings(cell.Key, settings,
                Enumerable.Range(0, config.Seeds).Select(_ => new HandMadeCells.Run(0, 0, Certified: 0, Tests: tests)).ToArray()).Runs;
            var p = CellParameters.Of(settings, runs);
            claims.AddRange(CellClaims.For(cell.Key, p, runs, config.Delta));
            checks.AddRange(SanityChecks.For(cell.Key, p, runs).Select(c => (c, tests)));
        }
        return new SimulatedFamily(experiment, config.Seeds, config.Delta, claims, checks);
    }

    /// <summary>
    /// The same claims with every run's errors replaced: <paramref name="errors"/> gets the claim, the number it is tested
    /// against at <paramref name="c"/> (bound; 1/2, or 1/2 − β where the flips depend on x, for the collapse) and a run's test points, and gives that run's error count.
    /// </summary>
    public IReadOnlyList<Claim> WithErrors(double c, Func<Claim, double, int, int> errors, Func<int, RunFit>? fit = null)
        => Claims.Select(x => x switch
        {
            ErrorBoundClaim e => (Claim)(e with { Lower = Replace(e.Lower, r => errors(e, e.Bound(c)!.Value, r.Total)), Upper = null }),
            CollapseClaim k => k with { Attacked = Replace(k.Attacked, r => errors(k, k.Bound(c)!.Value, r.Total)), Upper = null },
            InterpolationClaim i when fit is not null => i with { Fits = i.Fits.Select((_, j) => fit(j)).ToList() },
            _ => x,
        }).ToList();

    public static RunErrors Replace(RunErrors e, Func<RunCount, int> errors) => new(e.Runs.Select(r => r with { Errors = errors(r) }).ToList());
}
