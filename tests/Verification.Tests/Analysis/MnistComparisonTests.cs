using Verify.Simulation.Settings;
using System.Globalization;
using Verify.Bounds.Heuristic;
using Verify.Verification.Analysis;
using Verify.Verification.Results;
using Verify.Verification.Settings;
using Verify.Verification.Tests.Claims;

namespace Verify.Verification.Tests.Analysis;

/// <summary>
/// MNIST against the Gaussian HEURISTIC curve: hand-made cells measure the curve plus a chosen offset, so the
/// gaps and their paired differences are known in advance (up to the 1/2000 rounding of a test error). Cells give
/// α as a fraction of M̂ (alphaOverMu) as the experiment does; every run records α = fraction · M̂.
/// </summary>
public class MnistComparisonTests
{
    private const double Rounding = 1.0 / HandMadeCells.TestSize;
    private static readonly EnvironmentInfo Machine = new("Hand-made CPU", 2, ".NET 10", "Linux", "managed");

    /// <summary>
    /// One hand-made MNIST cell: three runs at M̂ = <paramref name="MuHat"/> (σ̂ = 1), errors <paramref name="Offset"/> away from the
    /// HEURISTIC: above it, or below where above would exceed 1 (the gap is |measured − HEURISTIC| either way).
    /// </summary>
    private sealed record Cell(string Normalization, int Resolution, double Ratio, double MuHat, double Offset, double Beta = 0,
        bool AllInterpolate = true, bool InputUnits = false, int Iterations = 300);

    private static CellRuns Build(Cell c)
    {
        double alpha = c.Ratio * c.MuHat;
        var h = LinearizedInterpolator.Predict(100, c.Resolution * c.Resolution, c.MuHat, alpha, c.Beta);
        double Away(double v) => v + c.Offset <= 1 ? v + c.Offset : v - c.Offset;
        double clean = Away(h.Clean), robust = Away(h.Robust);
        Assert.That(new[] { clean, robust }, Is.All.InRange(0.0, 1.0), $"a hand-made cell's errors must be rates: {c}");
        var kv = new List<(string, string)>
        {
            ("data", "mnist"), ("n", "100"), ("m", "1000"), ("resolution", Inv(c.Resolution)), ("beta", Inv(c.Beta)),
            ("normalization", c.Normalization), ("iterations", Inv(c.Iterations)),
            c.InputUnits ? ("alpha", Inv(alpha)) : ("alphaOverMu", Inv(c.Ratio)),
        };
        var settings = RunSettings.Parse(kv.Select(t => KeyValuePair.Create(t.Item1, t.Item2)), "a hand-made MNIST cell");
        var runs = Enumerable.Range(0, 3).Select(i =>
        {
            bool interpolates = c.AllInterpolate || i > 0;   // one run of three short of interpolating
            var metrics = new RunMetrics(interpolates, HandMadeCells.Est(clean), HandMadeCells.Est(robust),
                HandMadeCells.Est(clean), HandMadeCells.Est(robust), HandMadeCells.Est(0), HandMadeCells.Est(interpolates ? 0 : 0.02),
                0.01, 0, 10);
            var prov = new RunProvenance("test", "managed", "f64", "naive", 10, "mnist", alpha, 0.1, 1e-4, "PGD-10", "PGD-30", "leaky ReLU", Machine, c.MuHat, 1.0);
            int[] it = [0, 10, 20];
            double[] loss = [0.69, 0.1, 0.01], zeros = [0, 0, 0];
            return new RunRecord(RunRecord.CurrentSchema, settings.With(Keys.Seed, (ulong)i), (ulong)i, prov, metrics, null,
                new TrainingCurve(it, loss, zeros, zeros, zeros), new RunTimingsRecord(0, 0, 0, 0));
        }).ToList();
        return new CellRuns($"{c.Normalization}/{Inv(c.Beta)}/{c.Resolution}/{Inv(c.Ratio)}/{c.InputUnits}/{c.Iterations}", settings, runs);
    }

    private static ExperimentSummary Summarize(IEnumerable<Cell> cells) => HandMadeCells.Summarize(1, cells.Select(Build).ToArray());

    private static IEnumerable<Cell> Sweep(string normalization, double muHat, double offset, double[] ratios, int[]? resolutions = null, double beta = 0)
        => from k in resolutions ?? [14] from r in ratios select new Cell(normalization, k, r, muHat, offset, beta);

    [Test]
    public void Cells_are_paired_only_at_exactly_equal_alpha_over_mu_hat()
    {
        // 0.25 against 0.2500001: a hair apart, never paired; α given in input units pairs only at α = 0, even when
        // its α/M̂ happens to equal the other's fraction (0.1 / 0.4 = 0.25).
        var s = Summarize([
            .. Sweep("unit-norm", 0.4, 0.01, [0, 0.125, 0.25]),
            .. Sweep("standardize-pool", 5, 0.01, [0, 0.125, 0.2500001]),
            new Cell("unit-norm", 7, 0.25, 0.4, 0.01, InputUnits: true),
            new Cell("standardize-pool", 7, 0.25, 5, 0.01),
            new Cell("unit-norm", 7, 0, 0.4, 0.01, InputUnits: true),
            new Cell("standardize-pool", 7, 0, 5, 0.01)]);
        var pairs = s.Findings.Mnist.Pairs;
        Assert.That(pairs.Select(p => (p.Resolution, p.AlphaOverMu)), Is.EquivalentTo(new[] { (7, 0.0), (14, 0.0), (14, 0.125) }));
        Assert.That(pairs.All(p => p.Set == MnistPairSet.Interpolating && p.BothInterpolate), Is.True);
    }

    [Test]
    public void Cells_that_differ_in_another_setting_are_not_paired()
    {
        var s = Summarize([new Cell("unit-norm", 14, 0.25, 0.4, 0.01), new Cell("standardize-pool", 14, 0.25, 5, 0.01, Iterations: 1000)]);
        Assert.That(s.Findings.Mnist.Pairs, Is.Empty);
        Assert.That(s.Findings.Mnist.Unpaired.Single().ExactPairs, Is.EqualTo(0));
    }

    [Test]
    public void Only_pairs_whose_runs_all_interpolate_make_the_comparison()
    {
        // Interpolating pairs: standardize-pool 0.03 closer (offsets 0.01 against 0.04). The pair at α/M̂ = 1/2 where one
        // standardize-pool run does not interpolate is far worse (offset 0.30) and must not move the answer.
        var s = Summarize([
            .. Sweep("unit-norm", 0.4, 0.04, [0, 0.125, 0.25, 0.5], [7, 14]),
            .. Sweep("standardize-pool", 5, 0.01, [0, 0.125, 0.25], [7, 14]),
            new Cell("standardize-pool", 7, 0.5, 5, 0.01),
            new Cell("standardize-pool", 14, 0.5, 5, 0.30, AllInterpolate: false)]);
        var m = s.Findings.Mnist;
        var main = m.Paired.Single(p => p.Set == MnistPairSet.Interpolating);
        Assert.That(main.Pairs, Is.EqualTo(7));
        Assert.That(main.Difference, Is.EqualTo(-0.03).Within(2 * Rounding));
        Assert.That(main.Significant, Is.True);
        Assert.That(main.Few, Is.False);
        var notInterpolating = m.Paired.Single(p => p.Set == MnistPairSet.NotInterpolating);
        Assert.That((notInterpolating.Pairs, notInterpolating.Difference), Is.EqualTo((1, 0.30 - 0.04)).Using<(int, double)>((a, b) => a.Item1 == b.Item1 && Math.Abs(a.Item2 - b.Item2) <= 2 * Rounding));
        Assert.That(m.Pairs.Single(p => !p.BothInterpolate).AlphaOverMu, Is.EqualTo(0.5));

        var headline = s.Findings.Headlines.Single(h => h.StartsWith("MNIST against"));
        Assert.That(headline, Does.Match(@"\bβ = 0\b\D*\bstandardize-pool\b.*\bcloser\b.*\bunit-norm\b\D*\b7 pairs\b"), "at β = 0: standardize-pool closer than unit-norm, over 7 pairs");
        Assert.That(headline, Does.Match(@"\bsensitivity\b\D*\b0\.75·M̂\D*\b1 pair: \+0\.26\b"), "the sensitivity: below 0.75·M̂, 1 pair, +0.26");
        // The group gaps take the interpolating cells only; every cell's gap is the sensitivity beside it.
        var pool = m.Groups.Single(g => g.Normalization == "standardize-pool");
        Assert.That((pool.Cells, pool.Interpolating), Is.EqualTo((8, 7)));
        Assert.That(pool.RobustGap, Is.EqualTo(0.01).Within(Rounding));
        Assert.That(pool.RobustGapAllCells, Is.EqualTo((7 * 0.01 + 0.30) / 8).Within(Rounding));
    }

    [Test]
    public void Pairs_near_and_beyond_the_collapse_are_a_sensitivity_even_when_they_interpolate()
    {
        // Below the cliff the two normalizations are equally close; at α ≈ M̂ and beyond, standardize-pool is far off.
        var s = Summarize([
            .. Sweep("unit-norm", 0.4, 0.02, [0, 0.125, 0.25, 0.75, 1, 1.5], [7, 14, 28]),
            .. Sweep("standardize-pool", 5, 0.02, [0, 0.125, 0.25], [7, 14, 28]),
            .. Sweep("standardize-pool", 5, 0.12, [0.75, 1], [7, 14, 28]),
            .. Sweep("standardize-pool", 5, 0.22, [1.5], [7, 14, 28])]);
        var sets = s.Findings.Mnist.Paired.ToDictionary(p => p.Set);
        Assert.That(sets.Keys, Is.EquivalentTo(new[] { MnistPairSet.Interpolating, MnistPairSet.NearCollapse, MnistPairSet.BeyondCollapse }));
        Assert.That(sets[MnistPairSet.Interpolating].Pairs, Is.EqualTo(9));
        Assert.That(sets[MnistPairSet.Interpolating].Difference, Is.EqualTo(0).Within(2 * Rounding));
        Assert.That(sets[MnistPairSet.Interpolating].Significant, Is.False, "equal offsets: no difference");
        Assert.That(sets[MnistPairSet.NearCollapse].Pairs, Is.EqualTo(6));
        Assert.That(sets[MnistPairSet.NearCollapse].Difference, Is.EqualTo(0.10).Within(2 * Rounding));
        Assert.That(sets[MnistPairSet.BeyondCollapse].Pairs, Is.EqualTo(3));
        Assert.That(sets[MnistPairSet.BeyondCollapse].Difference, Is.EqualTo(0.20).Within(2 * Rounding));
        Assert.That(s.Findings.Mnist.Pairs.Where(p => p.AlphaOverMu >= 0.75).All(p => p.BothInterpolate), Is.True, "they interpolate, and still are not the answer");

        var headline = s.Findings.Headlines.Single(h => h.StartsWith("MNIST against"));
        Assert.That(headline, Does.Match(@"\bstandardize-pool\b.*\bneither\b.*\bunit-norm\b\D*\b9 pairs\b"), "no significant difference between the two, over 9 pairs");
        Assert.That(headline, Does.Contain("α ≈ M̂ (0.75 ≤ α/M̂ ≤ 1), 6 pairs: +0.1"));
        Assert.That(headline, Does.Contain("α > M̂, 3 pairs: +0.2"));
    }

    [Test]
    public void Few_interpolating_pairs_are_called_few()
    {
        var s = Summarize([.. Sweep("unit-norm", 0.4, 0.05, [0, 0.125]), .. Sweep("standardize-pool", 5, 0.01, [0, 0.125])]);
        var main = s.Findings.Mnist.Paired.Single();
        Assert.That((main.Pairs, main.Few), Is.EqualTo((2, true)));
        Assert.That(s.Findings.Headlines.Single(h => h.StartsWith("MNIST against")), Does.Match(@"\b2 pairs\b.*\bfew\b"), "2 pairs, called few");
    }

    [Test]
    public void Without_an_interpolating_pair_the_headline_says_the_comparison_cannot_be_made_and_why()
    {
        // β = 0.1: every pair has a run short of interpolating, or sits at α ≥ ¾·M̂.
        var s = Summarize([
            new Cell("unit-norm", 14, 0, 0.4, 0.02, 0.1, AllInterpolate: false), new Cell("unit-norm", 14, 0.25, 0.4, 0.02, 0.1, AllInterpolate: false),
            new Cell("unit-norm", 14, 1, 0.4, 0.02, 0.1),
            new Cell("standardize-pool", 14, 0, 5, 0.02, 0.1), new Cell("standardize-pool", 14, 0.25, 5, 0.02, 0.1), new Cell("standardize-pool", 14, 1, 5, 0.02, 0.1)]);
        var m = s.Findings.Mnist;
        Assert.That(m.Paired.Any(p => p.Set == MnistPairSet.Interpolating), Is.False);
        var u = m.Unpaired.Single();
        Assert.That((u.Beta, u.ExactPairs, u.ReferenceCells, u.ReferenceInterpolating, u.OtherCells, u.OtherInterpolating), Is.EqualTo((0.1, 3, 3, 1, 3, 3)));
        var headline = s.Findings.Headlines.Single(h => h.StartsWith("MNIST against"));
        Assert.That(headline, Does.Match(@"\bβ = 0\.1\b.*\bcannot\b\D*\b3 pairs\b\D*\b0\.75·M̂\D*\bunit-norm 1 of 3, standardize-pool 3 of 3\b"),
            "at β = 0.1 no comparison: 3 pairs, none below 0.75·M̂ all interpolating, and how many cells of each interpolate");
        Assert.That(headline, Does.Not.Match(@"\bcloser\b|\bneither\b"), "no answer given");
    }

    [Test]
    public void Alpha_in_input_units_cannot_be_compared_beyond_zero_and_the_headline_says_so()
    {
        var s = Summarize([new Cell("unit-norm", 14, 0.25, 0.4, 0.02, InputUnits: true), new Cell("standardize-pool", 14, 0.25, 5, 0.02, InputUnits: true)]);
        Assert.That(s.Findings.Mnist.Pairs, Is.Empty);
        Assert.That(s.Findings.Headlines.Single(h => h.StartsWith("MNIST against")),
            Does.Match(@"\bcannot\b.*\balphaOverMu\b.*\b0 of 1 unit-norm\D*\b0 of 1 standardize-pool\b"), "no comparison: how many cells of each give α/M̂ exactly (alphaOverMu)");
    }

    [Test]
    public void The_report_shows_the_pairs_and_which_set_each_belongs_to()
    {
        var s = Summarize([.. Sweep("unit-norm", 0.4, 0.02, [0, 0.25]), .. Sweep("standardize-pool", 5, 0.02, [0, 0.25]),
            new Cell("unit-norm", 14, 1.5, 0.4, 0.02), new Cell("standardize-pool", 14, 1.5, 5, 0.02)]);
        string md = Verify.Verification.Reports.MarkdownReport.Render(s, new Verify.Verification.Reports.Figures.FigureSet([], []));
        Assert.That(md, Does.Match(@"\*\*The comparison\*\*[^|\n]*\bα = 0\.75·M̂"), "the comparison's threshold");
        Assert.That(md, Does.Contain("| 0 | 14 | 1.5 | standardize-pool − unit-norm |"));
        Assert.That(md, Does.Contain("sensitivity: α > M̂"));
    }

    [Test]
    public void Without_MNIST_cells_there_is_nothing_to_compare()
    {
        var s = HandMadeCells.Summarize(1, HandMadeCells.Gaussian("g", 1000, 5, 0.5, HandMadeCells.Seeds(0.1, 0.2)));
        Assert.That(s.Findings.Mnist.Groups, Is.Empty);
        Assert.That(s.Findings.Mnist.Pairs, Is.Empty);
        Assert.That(s.Findings.Headlines.Any(h => h.StartsWith("MNIST against")), Is.False);
    }

    [Test]
    public void One_normalization_alone_has_groups_but_no_comparison()
    {
        var s = Summarize(Sweep("unit-norm", 0.4, 0.02, [0, 0.25]));
        Assert.That(s.Findings.Mnist.Groups.Single().Interpolating, Is.EqualTo(2));
        Assert.That((s.Findings.Mnist.Pairs.Count, s.Findings.Mnist.Paired.Count, s.Findings.Mnist.Unpaired.Count), Is.EqualTo((0, 0, 0)));
        Assert.That(s.Findings.Headlines.Single(h => h.StartsWith("MNIST against")), Does.Contain("no two normalizations to compare"));
    }

    private static string Inv(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
