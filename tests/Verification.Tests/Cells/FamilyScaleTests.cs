using Verify.Bounds;
using Verify.Simulation.Settings;
using Verify.Verification.Analysis;
using Verify.Verification.Cells;
using Verify.Verification.Reports;
using Verify.Verification.Reports.Figures;
using Verify.Verification.Tests.Reports;

namespace Verify.Verification.Tests.Cells;

/// <summary>
/// The regime in the noise family's scale (docs/theory.md, "How they enter A1–A4 and R", RECONSTRUCTED): the cell's Regime
/// equals Bounds' Regime built by hand at M·√κ, α·√κ (and d_eff for the anisotropic law), the constants computed here
/// from the laws' definitions, not from the Simulation types; Gaussian cells are exactly the old M/σ, α/σ, d.
/// </summary>
public class FamilyScaleTests
{
    private const double Delta = 0.05;

    private static CellParameters Cell(NoiseFamily noise, double condition = 0, double d = 1000, double mu = 4, double alpha = 2, double sigma = 1.5, LabelNoise flips = LabelNoise.Random)
        => new(DataKind.Gaussian, 100, d, 1000, mu, alpha, 0.1, sigma, flips, noise, condition);

    /// <summary>v = 1 + c² − c·φ(c)/Q(c) at c = 1, from the normal density and tail.</summary>
    private static double GaussLaplaceV()
    {
        double phi = Math.Exp(-0.5) / Math.Sqrt(2 * Math.PI), q = 1 - MathNet.Numerics.Distributions.Normal.CDF(0, 1, 1);
        return 2 - phi / q;
    }

    /// <summary>λ_1 = 1, λ_j = c·κ^{1 − (j−2)/(d−2)} for j = 2 … d with mean 1 over j ≥ 2 (docs/theory.md's table).</summary>
    private static double[] AnisotropicSpectrum(int d, double kappa)
    {
        var l = new double[d];
        l[0] = 1;
        for (int j = 2; j <= d; j++) l[j - 1] = Math.Pow(kappa, 1 - (j - 2.0) / (d - 2));
        double c = (d - 1) / l.Skip(1).Sum();
        for (int j = 1; j < d; j++) l[j] *= c;
        return l;
    }

    private static void AssertSame(Regime actual, Regime expected)
    {
        Assert.That(actual.N, Is.EqualTo(expected.N));
        Assert.That(actual.D, Is.EqualTo(expected.D));
        Assert.That(actual.Width, Is.EqualTo(expected.Width));
        Assert.That(actual.Mu, Is.EqualTo(expected.Mu).Within(1e-11).Percent);
        Assert.That(actual.Alpha, Is.EqualTo(expected.Alpha).Within(1e-11).Percent);
        Assert.That((actual.Beta, actual.Delta, actual.C), Is.EqualTo((expected.Beta, expected.Delta, expected.C)));
    }

    [Test]
    public void Gauss_laplace_regime_is_the_Bounds_regime_at_M_and_alpha_times_root_v()
    {
        var p = Cell(NoiseFamily.GaussLaplace);
        double rootV = Math.Sqrt(GaussLaplaceV());
        Assert.That(rootV, Is.EqualTo(0.689).Within(5e-4));
        var byHand = Regime.Create(100, 1000, 1000, 4 / 1.5 * rootV, 2 / 1.5 * rootV, 0.1, Delta, 1.3);
        AssertSame(p.Regime(1.3, Delta), byHand);
        // Everything downstream reads it: the bounds at C and C needed at the family's scale; each hypothesis in both readings
        // (the family's scale and the covariance's, M/σ and α/σ), whichever is harder.
        var theory = CellTheoryBuilder.At(p, 1.3, Delta, 0.01, 0.2, 0.3);
        var a = RegimeAnalysis.Of(byHand, 0.01);
        var covariance = RegimeAnalysis.Of(Regime.Create(100, 1000, 1000, 4 / 1.5, 2 / 1.5, 0.1, Delta, 1.3), 0.01);
        Assert.That(theory.Assumptions.CStar, Is.EqualTo(Math.Min(a.CStar, covariance.CStar)).Within(1e-12).Percent);
        Assert.That(theory.Assumptions.CleanCStar, Is.EqualTo(Math.Min(a.CleanCStar, covariance.CleanCStar)).Within(1e-12).Percent);
        Assert.That(theory.Assumptions.AssumptionCStar["A2"], Is.EqualTo(covariance.Assumptions.Single(x => x.Id == "A2").CStar).Within(1e-12).Percent,
            "A2 is harder at M/σ than at the family's smaller M′");
        Assert.That(theory.Assumptions.AssumptionCStar["A3"], Is.EqualTo(a.Assumptions.Single(x => x.Id == "A3").CStar).Within(1e-12).Percent,
            "A3 is harder at the family's M′");
        Assert.That(theory.AtC.CleanBound, Is.EqualTo(a.CleanBound.Value).Within(1e-12).Percent);
        Assert.That(theory.AtC.CleanCNeeded, Is.EqualTo(CellTheoryBuilder.CNeeded(byHand, 0.2)).Within(1e-12).Percent);
        Assert.That(p.FamilyScaleNote(), Is.EqualTo("gauss-laplace: M/σ and α/σ × 0.689, each hypothesis also at M/σ and α/σ (RECONSTRUCTED)"));
    }

    [TestCase(1000, 4.0)]
    [TestCase(200, 100.0)]
    [TestCase(3, 10.0)]
    public void Anisotropic_regime_is_the_Bounds_regime_at_the_largest_variance_and_d_eff(int d, double kappa)
    {
        var p = Cell(NoiseFamily.Anisotropic, kappa, d);
        var l = AnisotropicSpectrum(d, kappa);
        double largest = l.Max(), dEff = Math.Pow(l.Sum(), 2) / l.Sum(x => x * x);
        Assert.That(largest, Is.EqualTo(l[1]).Within(1e-12));
        Assert.That(dEff, Is.LessThanOrEqualTo(d + 1e-9));
        var byHand = Regime.Create(100, Math.Round(dEff), 1000, 4 / 1.5 / Math.Sqrt(largest), 2 / 1.5 / Math.Sqrt(largest), 0.1, Delta, 1);
        AssertSame(p.Regime(1, Delta), byHand);
        Assert.That(p.FamilyScaleNote(), Does.StartWith($"anisotropic (noiseCondition = {kappa}, d = {d}): M/σ and α/σ × ").And.Contain($"d → d_eff = {Math.Round(dEff)}, each hypothesis also at M/σ and α/σ (RECONSTRUCTED)"));
    }

    [Test]
    public void Anisotropic_d_eff_at_d_1000_kappa_4_matches_the_closed_form()
    {
        // The geometric spectrum's sums in closed form: Σ r^k and Σ r^{2k}, r = κ^{-1/(d−2)}, k = 0 … d−2.
        int d = 1000; double kappa = 4, r = Math.Pow(kappa, -1.0 / (d - 2));
        double s1 = kappa * (1 - Math.Pow(r, d - 1)) / (1 - r), s2 = kappa * kappa * (1 - Math.Pow(r, 2 * (d - 1))) / (1 - r * r);
        double c = (d - 1) / s1, dEff = Math.Pow(d, 2) / (1 + c * c * s2);
        Assert.That(Cell(NoiseFamily.Anisotropic, kappa, d).Regime(1, Delta).D, Is.EqualTo(Math.Round(dEff)));
        Assert.That(Cell(NoiseFamily.Anisotropic, kappa, d).Regime(1, Delta).Mu, Is.EqualTo(4 / 1.5 / Math.Sqrt(c * kappa)).Within(1e-12).Percent);
    }

    [TestCase(NoiseFamily.GaussLaplace, 0.0, 1000.0, 4.0, 2.0)]
    [TestCase(NoiseFamily.GaussLaplace, 0.0, 215443.0, 16.0, 1.6)]
    [TestCase(NoiseFamily.GaussLaplace, 0.0, 1e6, 8.0, 0.0)]
    [TestCase(NoiseFamily.Anisotropic, 4.0, 215443.0, 16.0, 1.6)]
    [TestCase(NoiseFamily.Anisotropic, 100.0, 1000.0, 4.0, 2.0)]
    [TestCase(NoiseFamily.Anisotropic, 4.0, 1e6, 32.0, 0.0)]
    public void No_hypothesis_is_easier_than_under_Gaussian_noise_of_the_same_mean_variance(NoiseFamily noise, double condition, double d, double mu, double alpha)
    {
        // The conservative reading: another strongly log-concave family may loosen no hypothesis (A1–A4, R), only the bound.
        var family = CellTheoryBuilder.At(Cell(noise, condition, d, mu, alpha, sigma: 1), 1, Delta, 0.05, 0.2, 0.3);
        var gaussian = CellTheoryBuilder.At(Cell(NoiseFamily.Gaussian, 0, d, mu, alpha, sigma: 1), 1, Delta, 0.05, 0.2, 0.3);
        foreach (var (id, cStar) in gaussian.Assumptions.AssumptionCStar)
            Assert.That(family.Assumptions.AssumptionCStar[id], Is.LessThanOrEqualTo(cStar * (1 + 1e-12)), id);
        Assert.That(family.AtC.CleanBound, Is.GreaterThanOrEqualTo(gaussian.AtC.CleanBound), "the bound is read at the family's scale: looser");
    }

    [TestCase(1.0, 5.0, 1.0, 100_000.0)]
    [TestCase(1.5, 4.0, 2.0, 1000.0)]
    [TestCase(0.3, 2.0, 0.0, 37.0)]
    public void Gaussian_cells_are_the_old_regime_exactly(double sigma, double mu, double alpha, double d)
    {
        foreach (var flips in Enum.GetValues<LabelNoise>())
        {
            var p = Cell(NoiseFamily.Gaussian, 0, d, mu, alpha, sigma, flips);
            var old = new Regime(p.N, Math.Round(p.D), p.Width, p.Mu / p.NoiseScale, p.Alpha / p.NoiseScale, p.Beta, Delta, 1.7).Validate();
            Assert.That(p.Regime(1.7, Delta), Is.EqualTo(old));
            Assert.That(p.FamilyScale(), Is.Null);
            Assert.That(p.FamilyScaleNote(), Is.Null);
        }
        var mnist = new CellParameters(DataKind.Mnist, 100, 196, 1000, mu, alpha, 0.1, sigma);
        Assert.That(mnist.Regime(1, Delta), Is.EqualTo(new Regime(100, 196, 1000, mu / sigma, alpha / sigma, 0.1, Delta, 1).Validate()));
    }

    [Test]
    public void The_report_says_the_regime_is_in_the_family_scale_once()
    {
        var s = new SyntheticSummary
        {
            Mus = [4], Ds = [1000], Ratios = [0.5, 1], Seeds = 2, Curves = false,
            Extra = new Dictionary<string, string> { ["noise"] = "gauss-laplace" },
        }.Build().Summary;
        string md = MarkdownReport.Render(s, new FigureSet([], []));
        Assert.That(md.Split("Regime in the noise family's scale").Length - 1, Is.EqualTo(1));
        Assert.That(md, Does.Contain("gauss-laplace: M/σ and α/σ × 0.689, each hypothesis also at M/σ and α/σ (RECONSTRUCTED)"));
        // α/M is shown for these cells too (they are Gaussian-mixture cells, whatever their noise law).
        var rows = md.Split('\n').Where(l => l.StartsWith("| ") && l.Contains("n/a ‡ (optimal clean")).ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows.Count(r => r.Contains("| 0.5 |")), Is.EqualTo(1));
        // Random flips: β is still the floor, said as before.
        Assert.That(md, Does.Contain("Errors are against the observed (noisy) labels, so β is the floor; "));
    }

    [Test]
    public void With_flips_predictable_from_x_the_report_says_beta_is_the_floor_only_where_flips_are_random()
    {
        var s = new SyntheticSummary
        {
            Mus = [4], Ds = [1000], Ratios = [0.5], Seeds = 2, Curves = false,
            Extra = new Dictionary<string, string> { ["labelNoise"] = "margin" },
        }.Build().Summary;
        string md = MarkdownReport.Render(s, new FigureSet([], []));
        Assert.That(md, Does.Not.Contain("so β is the floor;"));
        Assert.That(md, Does.Contain("so β is the floor where the flips are random; where they are a function of x (labelNoise = margin, confident, spurious) the floor is the cell's optimal clean error"));
        // Gaussian noise: no family-scale line.
        Assert.That(md, Does.Not.Contain("Regime in the noise family's scale"));
    }
}
