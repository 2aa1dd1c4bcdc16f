using Verify.Verification.Reports.Figures;

namespace Verify.Verification.Tests.Reports;

/// <summary>Which figures a grid supports: each kind appears only when the cells have what it needs.</summary>
public class FigurePlannerTests
{
    private static List<string> Names(SyntheticSummary s) => FigurePlanner.Draw(s.Build().Summary) is var set && set.Problems.Count == 0
        ? set.Figures.Select(f => f.Name).ToList()
        : throw new AssertionException("figures failed: " + string.Join("; ", set.Problems));

    [Test]
    public void A_full_grid_gets_heatmaps_curves_against_d_and_alpha_and_the_training_loss()
    {
        var names = Names(new SyntheticSummary());
        Assert.That(names, Is.SupersetOf(new[]
        {
            "heatmap-clean-ratio-0p25", "heatmap-robust-ratio-0p25", "heatmap-clean-ratio-0p5", "heatmap-robust-ratio-0p5",
            "error-vs-d-robust", "error-vs-d-clean", "error-vs-alpha", "robust-training-loss",
        }));
        Assert.That(names.Where(n => n.StartsWith("mnist")), Is.Empty, "no MNIST cells, no MNIST figures");
    }

    [Test]
    public void A_single_M_gets_no_heatmap()
    {
        var names = Names(new SyntheticSummary { Mus = [4] });
        Assert.That(names.Where(n => n.StartsWith("heatmap")), Is.Empty);
        Assert.That(names, Does.Contain("error-vs-d-robust").And.Contain("error-vs-alpha"));
    }

    [Test]
    public void A_single_d_gets_no_heatmap_and_no_curve_against_d()
    {
        var names = Names(new SyntheticSummary { Ds = [1000] });
        Assert.That(names.Where(n => n.StartsWith("heatmap") || n.StartsWith("error-vs-d")), Is.Empty);
        Assert.That(names, Does.Contain("error-vs-alpha"));
    }

    [Test]
    public void A_single_alpha_over_M_gets_no_curve_against_alpha()
    {
        var names = Names(new SyntheticSummary { Ratios = [0.5] });
        Assert.That(names, Does.Not.Contain("error-vs-alpha"));
        Assert.That(names, Does.Contain("heatmap-clean-ratio-0p5").And.Contain("error-vs-d-robust"));
    }

    [Test]
    public void Heatmaps_are_capped_and_skip_ratios_past_collapse()
    {
        var names = Names(new SyntheticSummary { Ratios = [0.1, 0.2, 0.3, 0.4, 0.6, 1, 1.5], Seeds = 1, Curves = false });
        var ratios = names.Where(n => n.StartsWith("heatmap-clean")).ToList();
        Assert.That(ratios, Has.Count.EqualTo(3));
        Assert.That(ratios, Does.Contain("heatmap-clean-ratio-0p1").And.Contain("heatmap-clean-ratio-0p6"));
    }

    [Test]
    public void No_recorded_curve_means_no_training_loss_figure()
    {
        Assert.That(Names(new SyntheticSummary { Curves = false }), Does.Not.Contain("robust-training-loss"));
    }

    [Test]
    public void MNIST_cells_get_their_own_figures_against_alpha_and_d()
    {
        var names = Names(new SyntheticSummary { Mus = [], Ratios = [], MnistAlphas = [0, 1, 2, 3] });
        Assert.That(names, Is.EquivalentTo(new[] { "mnist-error-vs-alpha-unit-norm", "mnist-error-vs-d", "robust-training-loss" }));
        var set = FigurePlanner.Draw(new SyntheticSummary { Mus = [], Ratios = [], MnistAlphas = [0, 1, 2, 3] }.Build().Summary);
        var alpha = set.Figures.Single(f => f.Name == "mnist-error-vs-alpha-unit-norm");
        Assert.That(alpha.Svg, Does.Contain("outside the theorem"), "theory curves on MNIST are labelled as outside the assumptions");
        Assert.That(alpha.Svg, Does.Contain("M̂"));
    }

    [Test]
    public void Each_MNIST_normalization_gets_a_figure_at_the_same_resolution_with_a_series_per_beta()
    {
        var set = FigurePlanner.Draw(new SyntheticSummary
        {
            Mus = [], Ratios = [], MnistAlphas = [0, 1, 2, 3], MnistNormalizations = ["unit-norm", "standardize-pool"], MnistBetas = [0, 0.1],
        }.Build().Summary);
        var unit = set.Figures.Single(f => f.Name == "mnist-error-vs-alpha-unit-norm");
        var pool = set.Figures.Single(f => f.Name == "mnist-error-vs-alpha-standardize-pool");
        Assert.That(set.Problems, Is.Empty);
        string D(Figure f) => System.Text.RegularExpressions.Regex.Match(f.Title, @"d = (\d+)").Groups[1].Value;
        Assert.That(D(pool), Is.EqualTo(D(unit)).And.Not.Empty, "side by side at one resolution");
        foreach (var f in new[] { unit, pool })
        {
            Assert.That(f.Svg, Does.Contain("β = 0: robust").And.Contain("β = 0.1: robust"));
            Assert.That(f.Caption, Does.Contain("HEURISTIC").And.Contain("M̂/σ̂"));
        }
        Assert.That(pool.Caption, Does.Contain("standardize-pool"));
    }

    [Test]
    public void Figures_label_their_theory_curves_with_provenance()
    {
        var set = FigurePlanner.Draw(new SyntheticSummary().Build().Summary);
        var heat = set.Figures.First(f => f.Name.StartsWith("heatmap-robust"));
        Assert.That(heat.Svg, Does.Contain("HEURISTIC"));
        var alpha = set.Figures.Single(f => f.Name == "error-vs-alpha");
        Assert.That(alpha.Svg, Does.Contain("EXACT").And.Contain("α = M (Theorem 3.2: collapse)"));
        Assert.That(set.Figures.All(f => f.Svg.Contains("<svg") && f.Svg.Contains("viewBox")));
        Assert.That(set.Figures.All(f => f.Caption.Length > 0));
    }
}
