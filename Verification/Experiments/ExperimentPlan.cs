using Verify.Simulation.Settings;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;
using Verify.Verification.Settings;

namespace Verify.Verification.Experiments;

/// <summary>
/// One run of an experiment: a cell (all settings but the seed), a replicate index, the seed derived
/// from the master seed and the cell, and an id that names its result file.
/// </summary>
internal sealed record PlannedRun(string Id, string CellKey, RunSettings Settings, RunSpec Spec, int Replicate, ulong Seed);

/// <summary>Expands an experiment's grids into cells and runs. Values are already typed: nothing is parsed here, nothing is read from disk.</summary>
internal static class ExperimentPlan
{
    /// <summary>The most runs a command plans unless told otherwise (--max-runs): a typo in a grid should not start a month of work.</summary>
    public const long DefaultMaxRuns = 100_000;

    /// <summary>The cells the grids describe before duplicates between grids are removed: an upper bound, computed without expanding anything, exact whatever its size.</summary>
    public static BigInteger CountCells(ExperimentConfig config)
        => config.Grids.Aggregate(BigInteger.Zero, (sum, g) => sum + g.Axes.Aggregate(BigInteger.One, (n, axis) => n * axis.Values.Count));

    public static IReadOnlyList<PlannedRun> Expand(ExperimentConfig config, long maxRuns = DefaultMaxRuns)
    {
        BigInteger cellCount = CountCells(config), count = cellCount * config.Seeds;
        if (count > maxRuns)
            throw new InvalidInputException($"'{config.Name}' plans {ExperimentDocument.Count(count)} runs ({ExperimentDocument.Count(cellCount)} cells × {config.Seeds} seeds), above the limit of {maxRuns}: "
                + "shrink the grid, or raise the limit with --max-runs if you mean it");
        var cells = new Dictionary<string, (RunSettings Settings, RunSpec Spec)>(StringComparer.Ordinal);
        foreach (var grid in config.Grids)
            foreach (var combination in Cartesian(grid.Axes))
            {
                string where = $"cell {string.Join(", ", combination.Select(kv => $"{kv.Key.Name} = {kv.Key.Format(kv.Value)}"))} of '{config.Name}'";
                var settings = combination.Aggregate(config.Fixed, (s, kv) => s.With(kv.Key, kv.Value, where));
                RunSpec spec;
                try
                {
                    spec = settings.ToSpec().Validate();
                    RunWork.Check(spec);
                }
                catch (InvalidInputException ex) { throw new InvalidInputException($"{ex.Message} ({where})"); }
                var resolved = settings.Resolved(spec).Without(Keys.Seed);
                cells.TryAdd(resolved.CellKey, (resolved, spec));
            }

        var runs = new List<PlannedRun>();
        foreach (var (key, (settings, spec)) in cells.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            ulong cellSeed = Rng.Derive(config.MasterSeed, Hash64(key));
            for (int r = 0; r < config.Seeds; r++)
            {
                ulong seed = Rng.Derive(cellSeed, (ulong)r);
                runs.Add(new PlannedRun(RunId.Of(key, seed), key, settings.With(Keys.Seed, seed), spec with { Seed = seed }, r, seed));
            }
        }
        return runs;
    }

    /// <summary>The runs of the given cells (axis values over the fixed settings): exactly what <see cref="Expand"/> plans for grids holding them.</summary>
    public static IReadOnlyList<PlannedRun> ExpandCells(ExperimentConfig config, IEnumerable<IReadOnlyDictionary<Setting, object>> cells)
        => Expand(config with { Grids = cells.Select(Grid.Of).ToList() }, long.MaxValue);

    /// <summary>The cells of one grid: every combination of its axes' values.</summary>
    public static IEnumerable<IReadOnlyDictionary<Setting, object>> Cells(Grid grid)
        => Cartesian(grid.Axes).Select(c => (IReadOnlyDictionary<Setting, object>)c.ToDictionary(kv => kv.Key, kv => kv.Value));

    public static ulong Hash64(string text) => BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);

    /// <summary>Shard i of N of the plan: its runs sorted by id, dealt by <see cref="Experiments.Shard"/>, so every task computes the same split.</summary>
    public static IReadOnlyList<PlannedRun> Shard(IReadOnlyList<PlannedRun> runs, int index, int count)
        => new Shard(index, count).Of(runs.OrderBy(r => r.Id, StringComparer.Ordinal).ToList());

    /// <summary>Every combination of the axes' values, the first axis varying fastest.</summary>
    private static IEnumerable<List<KeyValuePair<Setting, object>>> Cartesian(IReadOnlyList<GridAxis> axes)
    {
        if (axes.Count == 0) { yield return []; yield break; }
        foreach (var tail in Cartesian(axes.Skip(1).ToList()))
            foreach (var v in axes[0].Values)
                yield return [new(axes[0].Setting, v), .. tail];
    }
}
