using Verify.Simulation.Settings;
using Verify.Simulation.Kernels;
using Verify.Verification.Claims;
using Verify.Verification.Experiments;
using Verify.Verification.Results;
using Verify.Verification.Settings;
using Verify.Verification.Cells;

namespace Verify.Verification.Analysis;

/// <summary>A cell's settings (all but the seed) and its stored runs.</summary>
internal sealed record CellRuns(string Key, RunSettings Settings, IReadOnlyList<RunRecord> Runs);

/// <summary>Turns an experiment's plan and stored runs into the <see cref="ExperimentSummary"/> a report renders.</summary>
internal static class Analyzer
{
    public static ExperimentSummary Summarize(ExperimentConfig config, IReadOnlyList<PlannedRun> plan,
        IReadOnlyDictionary<string, RunRecord> records, int reused, double wallSeconds)
    {
        var cells = plan.GroupBy(r => r.CellKey).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CellRuns(g.Key, g.First().Settings.Without(Keys.Seed),
                g.Select(r => records.GetValueOrDefault(r.Id)).OfType<RunRecord>().ToList()))
            .Where(c => c.Runs.Count > 0).ToList();
        var all = records.Values.ToList();
        var env = RunEnvironment.Of(all, reused, wallSeconds);
        string scale = config.Scale ?? "as configured";
        int missing = plan.Count - plan.Count(r => records.ContainsKey(r.Id));
        if (missing > 0) scale += $"; {missing} of {plan.Count} planned runs have no result yet and are left out";
        var info = new ExperimentInfo(config.Name, config.Description, config.Notes, scale, config.AsRunJson, new Seeding(config.MasterSeed, config.Seeds),
            new TheoryConstants(config.C, config.Delta, config.Epsilon), new Tolerances(config.BenignTolerance));
        return Summarize(info, cells, env);
    }

    public static ExperimentSummary Summarize(ExperimentInfo info, IReadOnlyList<CellRuns> cellRuns, RunEnvironment env)
    {
        var k = info.Constants;
        var cells = cellRuns.Select(c => Measure(c, info)).ToList();

        // Claims and sanity checks are tested together across the report (Holm), then handed back to their cells.
        var claims = cells.SelectMany(c => c.Claims).ToList();
        var atC = ClaimEvaluation.At(claims, k.C).Results;
        var sanity = SanityChecks.Adjust(cells.SelectMany(c => c.Sanity).ToList());
        var summaries = new List<CellSummary>();
        int nextClaim = 0, nextCheck = 0;
        foreach (var c in cells)
        {
            var cellClaims = atC.Skip(nextClaim).Take(c.Claims.Count).ToList();
            var cellChecks = sanity.Skip(nextCheck).Take(c.Sanity.Count).ToList();
            nextClaim += c.Claims.Count;
            nextCheck += c.Sanity.Count;
            summaries.Add(c.Summary with { Findings = c.Summary.Findings with { Claims = cellClaims, Sanity = cellChecks } });
        }

        var claimsSummary = CRange.Analyze(claims, k.C);
        var noiseModels = NoiseModels.Of(summaries, claims, k.C);
        var sanitySummary = SanityChecks.Summarize(sanity);
        var heuristic = HeuristicAgreement.Summarize(summaries, info.Tolerances.Benign);
        var mnist = MnistComparison.Of(summaries);
        var certification = CertificationSummary.Of(summaries);
        var fits = PhaseBoundaries.Fit(summaries, k.Epsilon);
        var observations = Observations.Of(summaries, k.C);
        var headlines = Headlines.Of(claimsSummary, noiseModels, sanitySummary, certification, heuristic, mnist, observations, fits, k.Epsilon);
        return new ExperimentSummary(info, env, summaries,
            new Findings(fits, claimsSummary, noiseModels, sanitySummary, heuristic, mnist, certification, observations, headlines));
    }

    private sealed record MeasuredCell(CellSummary Summary, IReadOnlyList<Claim> Claims, IReadOnlyList<SanityCheck> Sanity);

    private static MeasuredCell Measure(CellRuns cell, ExperimentInfo info)
    {
        var k = info.Constants;
        var settings = cell.Settings.Without(Keys.Seed);
        var recs = cell.Runs;
        var ok = recs.Where(r => r.Metrics is not null).ToList();
        var p = CellParameters.Of(settings, ok);
        Statistic Rate(Func<RunMetrics, Estimate> pick)
        {
            var values = ok.Select(r => pick(r.Metrics!).Rate).ToList();
            var single = ok.Count == 1 ? (pick(ok[0].Metrics!).WilsonLow, pick(ok[0].Metrics!).WilsonHigh) : ((double, double)?)null;
            return Statistics.Of(values, single);
        }
        var clean = Rate(m => m.CleanTest);
        var robust = Rate(m => m.RobustTest);
        double interpolation = ok.Count == 0 ? 0 : ok.Count(r => r.Metrics!.Interpolates) / (double)recs.Count;
        var theory = CellTheoryBuilder.At(p, k.C, k.Delta, k.Epsilon, clean.Mean, robust.Mean);
        bool certified = ok.Count > 0 && ok.All(r => r.Metrics!.RobustTestCertified is not null);
        // Diverged runs count as not interpolating, as in the attack's rate; a finished run without the training certificate leaves it unknown.
        double certifiedInterpolation = ok.All(r => r.Metrics!.RobustTrainCertified is not null)
            ? ok.Count(r => r.Metrics!.CertifiedInterpolates == true) / (double)recs.Count : double.NaN;
        var measured = new CellMeasurements(recs.Count, recs.Count - ok.Count, clean, robust,
            Rate(m => m.CleanTestCleanLabels), Rate(m => m.RobustTestCleanLabels),
            Statistics.Of(ok.Select(r => r.Metrics!.RobustTrainLoss).ToList(), rate: false),
            interpolation);
        var certification = new CellCertification(
            certified ? Rate(m => m.RobustTestCertified!) : null,
            certified ? ok.Average(r => (double)r.Metrics!.Certification!.Undecided / r.Metrics.RobustTest.Total) : double.NaN,
            ok.Sum(r => r.Metrics!.Certification?.Conflicts ?? 0),
            certified ? ok.Average(r => 1 - (double)r.Metrics!.Certification!.CertifiedPlain / r.Metrics.RobustTest.Total) : double.NaN,
            certifiedInterpolation);
        var findings = new CellFindings([], [],
            HeuristicAgreement.Compare(p, theory, clean, robust, ok.Count > 0 && interpolation >= 1, info.Tolerances.Benign));
        var summary = new CellSummary(cell.Key, settings, p, measured, certification, theory, findings, MeanCurveOf(recs));
        return new MeasuredCell(summary, CellClaims.For(cell.Key, p, ok, k.Delta), SanityChecks.For(cell.Key, p, ok));
    }

    private static MeanCurve MeanCurveOf(IReadOnlyList<RunRecord> recs)
    {
        var curves = recs.Select(r => r.Curve).Where(c => c.Iteration.Length > 0).ToList();
        if (curves.Count == 0) return new MeanCurve([], [], []);
        int len = curves.Min(c => c.Iteration.Length);
        var first = curves[0];
        return new MeanCurve(first.Iteration[..len],
            Enumerable.Range(0, len).Select(i => curves.Average(c => c.RobustLoss[i])).ToArray(),
            Enumerable.Range(0, len).Select(i => curves.Average(c => c.RobustError[i])).ToArray());
    }
}
