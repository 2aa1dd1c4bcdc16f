using Verify.Verification.Analysis;
using Verify.Verification.Claims;
using Verify.Verification.Reports;
using Verify.Verification.Reports.Figures;
using Verify.Verification.Text;
using static Verify.Verification.Tests.Claims.HandMadeCells;

namespace Verify.Verification.Tests.Claims;

/// <summary>
/// The claims counted per noise model (findings.noiseModels, the report's "Per noise model" and its headlines). Cells as in
/// <see cref="ClaimRuleTests"/>: n = 100, M = 10, d = 10⁵, α = 1, β = 0.1; A1–A4 hold for C ≤ C* = 10⁵/(100²·(ln 2000 + 1)) = 1.1626,
/// and the bound is β + 2·exp(−10/C), so a robust error of 0.40 contradicts the robust bound at every C in scope: C_min = C*.
/// </summary>
public class NoiseModelClaimsTests
{
    private const double D = 1e5, Mu = 10, Alpha = 1;
    private static readonly double CStar = D / (100.0 * 100 * (Math.Log(100 / 0.05) + Alpha * Alpha));

    private static Run[] Within => Seeds(0.10, 0.10, spread: 0.005);
    private static Run[] Beyond => Bracketed(0.10, 0.40, 0.45);

    private static ExperimentSummary Models(Run[] margin) => Summarize(1,
        GaussianModel("random", "random", "gaussian", D, Mu, Alpha, Within),
        GaussianModel("margin", "margin", "gaussian", D, Mu, Alpha, margin),
        GaussianModel("confident", "confident", "gaussian", D, Mu, Alpha, Within));

    [Test]
    public void A_model_whose_runs_exceed_a_bound_sets_the_report_s_C_min_and_the_others_allow_every_C()
    {
        var s = Models(Beyond);
        var models = s.Findings.NoiseModels;
        Assert.That(models.Select(m => m.LabelNoise), Is.EqualTo(new[] { "random", "margin", "confident" }),
            "the paper's model first, then the rules in their declared order");
        var margin = models.Single(m => m.LabelNoise == "margin").Claims;
        Assert.That(margin.AtC.Contradicted, Is.EqualTo(1));
        Assert.That(margin.CMin, Is.EqualTo(CStar).Within(1e-6).Percent, "contradicted wherever the claim is in scope");
        Assert.That(margin.SetBy.Select(r => (r.Cell, r.Claim)), Is.EqualTo(new[] { ("margin", ClaimKind.RobustBound) }));
        foreach (var other in models.Where(m => m.LabelNoise != "margin"))
        {
            Assert.That(other.Claims.AtC.Contradicted, Is.Zero, other.LabelNoise);
            Assert.That(other.Claims.CMinAtGridStart, Is.True, other.LabelNoise);
        }
        Assert.That(s.Findings.Claims.CMin, Is.EqualTo(margin.CMin), "the report's C_min is the largest of the models'");
        Assert.That(models.Sum(m => m.Claims.AtC.Tested), Is.EqualTo(s.Findings.Claims.AtC.Tested), "every claim tested once, in one family");
    }

    [Test]
    public void The_headline_gives_each_rule_s_C_beside_the_paper_s_model()
    {
        var s = Models(Beyond);
        var line = s.Findings.Headlines.Single(h => h.StartsWith("Under gaussian noise"));
        Assert.That(line, Does.Contain($"margin flips C ≥ {Fmt.Num(CStar, 3)}"));
        Assert.That(line, Does.Contain($"confident flips any C ≥ {Fmt.Num(CRange.Grid[0])}, nothing contradicted"));
        Assert.That(line, Does.Contain($"the paper's model (random flips, gaussian noise) any C ≥ {Fmt.Num(CRange.Grid[0])}"));
        var tested = s.Findings.NoiseModels.ToDictionary(m => m.LabelNoise, m => m.Claims.AtC.Tested);
        Assert.That(line, Does.EndWith($"Contradicted at C = 1: random 0 of {tested["random"]}, margin 1 of {tested["margin"]}, confident 0 of {tested["confident"]}."));
    }

    [Test]
    public void Without_a_contradiction_every_model_allows_every_C_and_the_table_shows_none()
    {
        var s = Models(Within);
        Assert.That(s.Findings.NoiseModels.All(m => m.Claims.CMinAtGridStart && m.Claims.AtC.Contradicted == 0), Is.True);
        string md = MarkdownReport.Render(s, new FigureSet([], []));
        Assert.That(md, Does.Contain("### Per noise model"));
        Assert.That(md, Does.Contain("| margin | gaussian noise |"));
        Assert.That(md, Does.Not.Contain("**1**"));
    }

    [Test]
    public void The_figure_has_a_row_per_model_and_marks_the_paper_s_C_min()
    {
        var s = Models(Beyond);
        var figure = FigurePlanner.Draw(s).Figures.Single(f => f.Name == "noise-models");
        foreach (var m in s.Findings.NoiseModels) Assert.That(figure.Svg, Does.Contain($"{m.LabelNoise}, {m.Family}"));
        Assert.That(figure.Svg, Does.Contain(Fmt.Num(CStar, 3)), "the margin model's C_min, as labelled");
        Assert.That(figure.Caption, Does.Contain("3 noise models").And.Contain("open circle"));
    }

    [Test]
    public void One_noise_model_has_no_per_model_summary()
    {
        var s = Summarize(1, Gaussian("a", D, Mu, Alpha, Within), Gaussian("b", D, 2 * Mu, Alpha, Within));
        Assert.That(s.Findings.NoiseModels, Is.Empty);
        Assert.That(s.Findings.Headlines, Has.None.StartsWith("Under "));
        Assert.That(MarkdownReport.Render(s, new FigureSet([], [])), Does.Not.Contain("Per noise model"));
        Assert.That(FigurePlanner.Draw(s).Figures.Select(f => f.Name), Does.Not.Contain("noise-models"));
    }

    [Test]
    public void The_stress_experiment_can_contradict_an_error_bound_under_every_noise_model_at_C_1()
    {
        // Every run 0.05 beyond its bound, as in ClaimPowerTests: each of the 12 models has an error bound that is then contradicted.
        var family = SimulatedFamily.Stress;
        var beyond = family.WithErrors(1, (claim, b, n) => claim.Kind == ClaimKind.Collapse ? (int)Math.Floor((b - 0.05) * n) : Math.Min(n, (int)Math.Ceiling((b + 0.05) * n)));
        var contradicted = ClaimEvaluation.At(beyond, 1).Results
            .Where(r => r.Claim is ClaimKind.CleanBound or ClaimKind.RobustBound && r.Outcome == ClaimOutcome.Contradicted)
            .Select(r => Model(r.Cell)).Distinct().ToList();
        string[] rules = ["random", "margin", "confident", "spurious"], families = ["gaussian", "gauss-laplace", "anisotropic"];
        Assert.That(contradicted, Is.EquivalentTo(rules.SelectMany(r => families.Select(f => $"{r}/{f}"))));
    }

    /// <summary>"margin/gauss-laplace" from a cell key, where settings at their defaults (random, gaussian) are left out.</summary>
    private static string Model(string cellKey)
    {
        var kv = cellKey.Split(';').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        return $"{kv.GetValueOrDefault("labelNoise", "random")}/{kv.GetValueOrDefault("noise", "gaussian")}";
    }
}
