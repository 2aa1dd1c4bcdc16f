using Verify.Verification.Analysis;
using Verify.Verification.Cells;
using Verify.Verification.Claims;
using Verify.Verification.Reports;
using Verify.Verification.Reports.Figures;
using Verify.Verification.Tests.Reports;

namespace Verify.Verification.Tests.Analysis;

/// <summary>
/// Which references apply (docs/theory.md, "Which references apply"): a cell with margin flips and Gauss–Laplace noise shows
/// no EXACT Gaussian reference and no HEURISTIC value and says why, its claims are still tested, the collapse claim is at
/// 1/2 − β there, and the report says the optimal error is below β.
/// </summary>
public class CellReferencesTests
{
    private static ExperimentSummary Summary() => new SyntheticSummary
    {
        Mus = [4], Ds = [1000], Ratios = [0.5, 1], Seeds = 2, Curves = false,
        Extra = new Dictionary<string, string> { ["labelNoise"] = "margin", ["noise"] = "gauss-laplace" },
    }.Build().Summary;

    [Test]
    public void A_margin_gauss_laplace_cell_has_no_gaussian_references_and_keeps_its_claims()
    {
        var s = Summary();
        Assert.That(s.Cells, Has.Count.EqualTo(2));
        foreach (var c in s.Cells)
        {
            Assert.That(c.Parameters.GaussianRandomFlips, Is.False);
            Assert.That(c.Parameters.ReferencesAbsent, Is.True);
            Assert.That(CellParameters.DescribeModels([c.Parameters]), Is.EqualTo("noise = gauss-laplace with labelNoise = margin"));
            Assert.That(double.IsNaN(c.Theory.Exact.BayesClean) && double.IsNaN(c.Theory.Exact.RobustLowerBound) && double.IsNaN(c.Theory.Heuristic.Clean), Is.True);
            Assert.That(c.Findings.Sanity, Is.Empty);
            Assert.That(c.Findings.Heuristic, Is.Null);
            // Inside the theorem's hypotheses: the claims are made and not "outside the model".
            Assert.That(c.Findings.Claims.Select(x => x.Claim), Does.Contain(ClaimKind.Interpolation).And.Contain(ClaimKind.CleanBound).And.Contain(ClaimKind.RobustBound));
            Assert.That(c.Findings.Claims.Select(x => x.Outcome), Has.None.EqualTo(ClaimOutcome.OutsideModel));
            // M/σ = 4, β = 0.1, margin flips: the optimal clean error is F(−4) − F(−8 + 1.5…) for the Gauss–Laplace law, far below β.
            Assert.That(c.Theory.OptimalClean, Is.Not.Null.And.LessThan(0.01).And.GreaterThan(0));
        }
        var collapse = s.Cells.Single(c => c.Parameters.Alpha >= c.Parameters.Mu).Findings.Claims.Single(x => x.Claim == ClaimKind.Collapse);
        Assert.That(collapse.Bound, Is.EqualTo(0.5 - 0.1).Within(1e-15));
        Assert.That(s.Findings.Sanity.Checked + s.Findings.Sanity.Untestable, Is.Zero);
        Assert.That(s.Findings.Heuristic.GaussianCells, Is.Zero);
    }

    [Test]
    public void The_report_says_why_once_and_states_the_optimal_error_below_beta()
    {
        string md = MarkdownReport.Render(Summary(), new FigureSet([], []));
        Assert.That(md, Does.Contain("n/a ‡ (optimal clean "));
        Assert.That(md.Split("‡ not Gaussian noise with random flips (").Length - 1, Is.EqualTo(1));
        // One line for the two cells, their optimal error once (both cells share M and β).
        Assert.That(md.Split("the flips are predictable from x").Length - 1, Is.EqualTo(1));
        Assert.That(md, Does.Match(@"In 2 cells the flips are predictable from x \(labelNoise = margin\): the optimal clean error against their labels is \d\.\d+e-4 \\< β"));
        Assert.That(md, Does.Contain("is not the benign target"));
    }
}
