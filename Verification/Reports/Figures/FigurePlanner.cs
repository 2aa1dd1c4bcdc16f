using Verify.Verification.Analysis;
using Verify.Verification.Output;
using Verify.Verification.Text;

namespace Verify.Verification.Reports.Figures;

/// <summary>
/// Decides which figures an experiment supports and draws them. A figure is produced only when the
/// cells have what it needs (a heatmap needs ≥ 2 values of M and of d at one α/M, and so on); one
/// that fails to draw is reported as a problem instead of stopping the report.
/// </summary>
internal static class FigurePlanner
{
    public static FigureSet Draw(ExperimentSummary summary)
    {
        var figures = new List<Figure>();
        var problems = new List<string>();
        if (PlotKit.FontProblem() is { } fontProblem) problems.Add(fontProblem);
        void Try(string what, Func<Figure> draw)
        {
            try { figures.Add(draw()); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                problems.Add($"{what}: {e.GetType().Name}: {e.Message}");
            }
        }

        if (ClaimRangeFigure.Applies(summary.Findings.Claims))
            Try("claims against C", () => ClaimRangeFigure.Draw(summary.Findings.Claims));
        if (NoiseModelFigure.Applies(summary.Findings.NoiseModels))
            Try("C per noise model", () => NoiseModelFigure.Draw(summary.Findings.NoiseModels, summary.Experiment.Constants.C));

        var (gauss, gaussFamilies) = CellGroups.MainGaussianFamily(summary.Cells);
        string? gaussNote = FamilyNote(gauss, gaussFamilies);
        foreach (double ratio in HeatmapFigures.Ratios(gauss))
        {
            Try($"clean heatmap at α/M = {Fmt.Num(ratio)}", () => HeatmapFigures.Draw(gauss, ratio, robust: false, summary, gaussNote));
            Try($"robust heatmap at α/M = {Fmt.Num(ratio)}", () => HeatmapFigures.Draw(gauss, ratio, robust: true, summary, gaussNote));
        }
        if (DimensionFigures.GaussianM(gauss) is { } mu)
        {
            Try("robust error against d", () => DimensionFigures.Gaussian(gauss, mu, robust: true, summary, gaussNote));
            Try("clean error against d", () => DimensionFigures.Gaussian(gauss, mu, robust: false, summary, gaussNote));
        }
        if (BudgetFigures.GaussianGroup(gauss) is { } budget)
            Try("error against α/M", () => BudgetFigures.Gaussian(budget, gaussNote));

        var (mnist, mnistFamilies) = CellGroups.MnistFamilyAcrossD(summary.Cells);
        string? mnistNote = FamilyNote(mnist, mnistFamilies);
        double? mnistD = null;   // every normalization's figure at the resolution of the first, where it can be
        foreach (var (normalization, cells, families) in CellGroups.MnistByNormalization(summary.Cells))
            if (BudgetFigures.MnistGroup(cells, mnistD) is { } mnistBudget)
            {
                mnistD ??= CellGroups.MnistD(mnistBudget[0]);
                Try($"MNIST ({normalization}) error against α/M̂", () => BudgetFigures.Mnist(mnistBudget, normalization, FamilyNote(cells, families)));
            }
        if (DimensionFigures.MnistAlphas(mnist) is { Count: > 0 } alphas)
            Try("MNIST error against d", () => DimensionFigures.Mnist(mnist, alphas, mnistNote));

        var reps = TrainingCurveFigure.Representatives(summary.Cells);
        if (reps.Count > 0)
            Try("robust training loss", () => TrainingCurveFigure.Draw(reps));

        return new FigureSet(figures, problems);
    }

    private static string? FamilyNote(IReadOnlyList<CellSummary> family, int families)
    {
        if (families <= 1 || family.Count == 0) return null;
        return $"Drawn for the largest of {families} groups of cells that differ in other settings; the others are in the cell table.";
    }
}
