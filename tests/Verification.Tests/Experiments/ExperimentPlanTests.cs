using Verify.Simulation.Settings;
using Verify.Verification.Experiments;

namespace Verify.Verification.Tests.Experiments;

public class ExperimentPlanTests
{
    private static IReadOnlyList<PlannedRun> Plan(string json, params string[] sets)
    {
        using var dir = new TempDir();
        return ExperimentPlan.Expand(ExperimentLoader.Load(dir.File("e.json", json), sets));
    }

    [Test]
    public void Cells_times_seeds_with_distinct_derived_seeds()
    {
        var plan = Plan(TinyExperiment.Json);
        Assert.That(plan, Has.Count.EqualTo(4 * 2));
        Assert.That(plan.Select(r => r.Seed).Distinct().Count(), Is.EqualTo(8));
        Assert.That(plan.Select(r => r.Id).Distinct().Count(), Is.EqualTo(8));
        Assert.That(plan.All(r => r.Spec.Seed == r.Seed && r.Settings.Seed == r.Seed));
        Assert.That(plan.All(r => r.Settings.Get(Keys.Alpha) == 0.2 * r.Settings.Get(Keys.Mu) && !r.Settings.Has(Keys.AlphaOverMu)), "α resolved from α/M");
        Assert.That(Plan(TinyExperiment.Json).Select(r => r.Id), Is.EqualTo(plan.Select(r => r.Id)), "deterministic");
    }

    [Test]
    public void Adding_a_grid_value_keeps_the_other_cells_seeds()
    {
        var before = Plan(TinyExperiment.Json);
        var after = Plan(TinyExperiment.Json, "grid.d=30,300,3000");
        Assert.That(after, Has.Count.EqualTo(12));
        Assert.That(before.Select(r => (r.Id, r.Seed)).All(after.Select(r => (r.Id, r.Seed)).Contains));
        var otherMaster = Plan(TinyExperiment.Json, "masterSeed=6");
        Assert.That(otherMaster.Select(r => r.Seed).Intersect(before.Select(r => r.Seed)), Is.Empty);
    }

    [Test]
    public void Grids_are_unioned_without_duplicates()
    {
        var plan = Plan("""{ "seeds": 1, "fixed": { "n": 10, "m": 20 }, "grids": [ { "d": [30, 40] }, { "d": [40, 50] } ] }""");
        Assert.That(plan.Select(r => r.Settings.Get(Keys.D)).Order(), Is.EqualTo(new[] { 30L, 40L, 50L }));
    }

    [Test]
    public void Shards_partition_the_runs()
    {
        var plan = Plan(TinyExperiment.Json, "seeds=10");
        var shards = Enumerable.Range(1, 3).Select(i => ExperimentPlan.Shard(plan, i, 3)).ToList();
        Assert.That(shards.Sum(s => s.Count), Is.EqualTo(plan.Count));
        Assert.That(shards.SelectMany(s => s.Select(r => r.Id)).Distinct().Count(), Is.EqualTo(plan.Count));
        Assert.That(shards.All(s => s.Count > 0));
        Assert.That(Shard.Parse("2/3"), Is.EqualTo(new Shard(2, 3)));
        foreach (var bad in new[] { "0/3", "4/3", "x", "1/0" })
            Assert.Throws<InvalidInputException>(() => Shard.Parse(bad));
    }
}
