using Verify.Verification.Analysis;
using Verify.Verification.Reports;
using Verify.Verification.Reports.Figures;
using Verify.Verification.Results;
using Verify.Verification.Tests.Claims;
using Verify.Verification.Tests.Reports;

namespace Verify.Verification.Tests.Analysis;

/// <summary>
/// The interpolation rate as a bracket per cell: the attack's share (upper end) and the share of runs whose training
/// points are all certified (lower end), NaN when a finished run has no training certificate; shown in the cell
/// table and in results.csv.
/// </summary>
public class CertifiedInterpolationTests
{
    private const int N = 100;

    /// <summary>
    /// A run whose evaluation attack flipped no training point when it <paramref name="interpolates"/> (else 10 of n), and whose certificate left
    /// <paramref name="notCertified"/> of n training points unproved; null: no training certificate (a run stored before there were any).
    /// </summary>
    private static RunRecord WithTraining(RunRecord r, bool interpolates, int? notCertified)
    {
        static Estimate Of(int errors) { var (lo, hi) = Statistics.Wilson(errors, N); return new Estimate(errors, N, (double)errors / N, lo, hi); }
        int attacked = interpolates ? 0 : 10;
        var m = r.Metrics! with { Interpolates = interpolates, RobustTrain = Of(attacked), RobustTrainCertified = null, TrainCertification = null };
        if (notCertified is { } k)
            m = m with { RobustTrainCertified = Of(k), TrainCertification = new CertificationRecord(N - k, N - k, k - attacked, 0, 20) };
        return r with { Metrics = m };
    }

    private static CellRuns Cell(string key, double d, params (bool Interpolates, int? NotCertified)[] runs)
    {
        var cell = HandMadeCells.Gaussian(key, d, 5, 0.5, runs.Select(r => new HandMadeCells.Run(0.12, 0.15, r.Interpolates)).ToArray());
        return cell with { Runs = cell.Runs.Select((r, i) => WithTraining(r, runs[i].Interpolates, runs[i].NotCertified)).ToList() };
    }

    private static ExperimentSummary Summary() => HandMadeCells.Summarize(1,
        Cell("all", 1000, (true, 0), (true, 0), (true, 0)),
        Cell("two of three", 2000, (true, 0), (true, 0), (true, 3)),
        Cell("attack only", 4000, (true, 0), (false, 15), (true, 2)),
        Cell("older run", 8000, (true, 0), (true, null), (true, 0)));

    [Test]
    public void A_cell_counts_the_runs_certified_to_interpolate_and_is_unknown_when_a_run_has_no_certificate()
    {
        var cells = Summary().Cells.ToDictionary(c => c.Key);
        Assert.That(cells["all"].Measured.InterpolationRate, Is.EqualTo(1));
        Assert.That(cells["all"].Certification.InterpolationRate, Is.EqualTo(1));
        Assert.That(cells["two of three"].Measured.InterpolationRate, Is.EqualTo(1));
        Assert.That(cells["two of three"].Certification.InterpolationRate, Is.EqualTo(2 / 3.0).Within(1e-15));
        Assert.That(cells["attack only"].Measured.InterpolationRate, Is.EqualTo(2 / 3.0).Within(1e-15));
        Assert.That(cells["attack only"].Certification.InterpolationRate, Is.EqualTo(1 / 3.0).Within(1e-15));
        Assert.That(cells["older run"].Measured.InterpolationRate, Is.EqualTo(1));
        Assert.That(cells["older run"].Certification.InterpolationRate, Is.NaN, "one run predates training certificates: the lower end is unknown");
        Assert.That(Summary().Cells.Where(c => double.IsFinite(c.Certification.InterpolationRate)).All(c => c.Certification.InterpolationRate <= c.Measured.InterpolationRate),
            "certified interpolation is the lower end");
    }

    [Test]
    public void The_cell_table_shows_the_interpolation_bracket()
    {
        string md = MarkdownReport.Render(Summary(), new FigureSet([], []));
        string cells = md[md.IndexOf("## Cells", StringComparison.Ordinal)..]; // the summary's table across C has rows "| 1000 |" too
        string Row(string d) => cells.Split('\n').Single(l => l.StartsWith($"| {d} |", StringComparison.Ordinal));
        Assert.That(md, Does.Contain("| interpolating |"));
        Assert.That(Row("1000"), Does.Contain("| 100% (certified 100%) |"));
        Assert.That(Row("2000"), Does.Contain("| 100% (certified 66.7%) |"));
        Assert.That(Row("4000"), Does.Contain("| 66.7% (certified 33.3%) |"));
        Assert.That(Row("8000"), Does.Contain("| 100% (no certificate) |"));
    }

    [Test]
    public void Results_csv_has_the_certified_upper_end_of_the_robust_training_error_per_run()
    {
        var runs = Cell("x", 1000, (true, 0), (false, 15), (true, null)).Runs;
        var rows = Rfc4180.Parse(ResultsCsv.Render(runs));
        var header = rows[0];
        int interpolates = header.IndexOf("interpolates"), certified = header.IndexOf("certifiedInterpolates"), upper = header.IndexOf("robustTrainCertified");
        Assert.That(new[] { interpolates, certified, upper }, Has.All.GreaterThanOrEqualTo(0));
        Assert.That(rows.Skip(1).Select(r => (r[interpolates], r[certified], r[upper])), Is.EqualTo(new[]
        {
            ("true", "true", "0"),
            ("false", "false", "0.15"),
            ("true", "", ""),
        }), "a run without the training certificate leaves its columns empty");
    }
}
