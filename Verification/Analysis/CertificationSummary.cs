namespace Verify.Verification.Analysis;

/// <summary>
/// How tightly the robust test error is known across a report: per attacked cell the bracket [attacked,
/// certified] (means over seeds), and how many cells have it closed (no undecided test point in any run).
/// JSON: "certification" in results.json.
/// </summary>
/// <param name="Cells">Cells with α &gt; 0 whose runs all carry a certificate.</param>
/// <param name="Uncertified">Cells with α &gt; 0 and finished runs that lack one (written before certification existed).</param>
/// <param name="Exact">Of <paramref name="Cells"/>, those with no undecided test point: the robust error is known, not estimated.</param>
/// <param name="MeanWidth">Mean over the cells of certified − attacked robust error.</param>
/// <param name="Widest">The cell with the widest bracket, and its width.</param>
/// <param name="MeanPlainWidth">Mean width with the plain bound alone: what slope optimization gained is the difference to <paramref name="MeanWidth"/>.</param>
internal sealed record CertificationSummary(int Cells, int Uncertified, int Exact, double MeanWidth, double MaxWidth, string? Widest, double MeanUndecided, int Conflicts,
    double MeanPlainWidth = double.NaN)
{
    public static CertificationSummary Of(IReadOnlyList<CellSummary> cells)
    {
        var attacked = cells.Where(c => c.Parameters.Alpha > 0 && c.Measured.Runs > c.Measured.Diverged).ToList();
        var certified = attacked.Where(c => c.Certification.RobustTest is not null).ToList();
        if (certified.Count == 0)
            return new CertificationSummary(0, attacked.Count, 0, double.NaN, double.NaN, null, double.NaN, cells.Sum(c => c.Certification.Conflicts));
        double Width(CellSummary c) => c.Certification.RobustTest!.Mean - c.Measured.RobustTest.Mean;
        var widest = certified.MaxBy(Width)!;
        return new CertificationSummary(certified.Count, attacked.Count - certified.Count, certified.Count(c => c.Certification.Undecided == 0),
            certified.Average(Width), Width(widest), widest.Key, certified.Average(c => c.Certification.Undecided), cells.Sum(c => c.Certification.Conflicts),
            certified.Average(c => c.Certification.PlainUpper - c.Measured.RobustTest.Mean));
    }
}
