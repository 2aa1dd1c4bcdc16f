using Verify.Verification.Regression;

namespace Verify.Verification.Tests.Experiments;

/// <summary>
/// `regress --sample k` without the CLI: <see cref="RegressionRun.Sampled"/> picks whole cells, k of them, the same ones
/// whatever the order of the file. The baseline is the committed CI one (12 cells of one seed) with a second seed of
/// every cell appended, so a cell's runs are not next to each other.
/// </summary>
public class RegressionSampleTests
{
    private static Baseline Ci()
    {
        var b = Baseline.Load(Path.Combine(Repository.Root, "baselines", "paper-synthetic-ci.json"));
        var second = b.Runs.Select(r => r with { Id = r.Id + "-2", Settings = r.Settings.Replacing(Simulation.Settings.Keys.Seed, r.Settings.Get(Simulation.Settings.Keys.Seed) + 1) });
        return b with { Runs = b.Runs.Concat(second).ToList() };
    }

    private static SortedSet<string> Cells(IEnumerable<BaselineRun> runs) => new(runs.Select(r => r.Settings.CellKey), StringComparer.Ordinal);

    [Test]
    public void Zero_or_more_than_there_are_cells_reruns_every_run_in_the_baselines_order()
    {
        var b = Ci();
        int cells = Cells(b.Runs).Count;
        Assert.That(cells, Is.GreaterThan(2).And.LessThan(b.Runs.Count), "several cells of two seeds each");
        Assert.That(RegressionRun.Sampled(b, 0).Select(r => r.Id), Is.EqualTo(b.Runs.Select(r => r.Id)));
        Assert.That(RegressionRun.Sampled(b, cells + 5).Select(r => r.Id), Is.EqualTo(b.Runs.Select(r => r.Id)));
    }

    [Test]
    public void A_sample_of_k_is_every_run_of_k_cells_the_same_whatever_the_order_of_the_file_and_growing_with_k()
    {
        var b = Ci();
        var reversed = b with { Runs = b.Runs.Reverse().ToList() };
        int cells = Cells(b.Runs).Count;
        SortedSet<string> previous = new(StringComparer.Ordinal);
        for (int k = 1; k <= cells; k++)
        {
            var sample = RegressionRun.Sampled(b, k);
            var chosen = Cells(sample);
            Assert.That(chosen, Has.Count.EqualTo(k), $"k = {k}: k cells");
            Assert.That(sample.Select(r => r.Id), Is.EqualTo(b.Runs.Where(r => chosen.Contains(r.Settings.CellKey)).Select(r => r.Id)),
                $"k = {k}: every seed of each chosen cell, in the baseline's order");
            Assert.That(Cells(RegressionRun.Sampled(reversed, k)), Is.EqualTo(chosen), $"k = {k}: chosen by the cells, not by their place in the file");
            Assert.That(chosen.IsSupersetOf(previous), $"k = {k}: the k − 1 cells and one more");
            previous = chosen;
        }
    }
}
