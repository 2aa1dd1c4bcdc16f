using Verify.Simulation.Settings;
using System.Globalization;
using System.Text;
using Verify.Verification.Results;
using Verify.Verification.Settings;

namespace Verify.Verification.Reports;

/// <summary>
/// results.csv: one row per run. Columns: the run's id (its file name in results/&lt;name&gt;/runs), every settings key found in
/// any run (sorted; the seed is its own column), the seed, then the metrics, the timing and what ran it (modeUsed,
/// precisionUsed, backend). Every column name is distinct and documented (docs/claims.md, "In results.csv"). RFC 4180: comma-separated,
/// CRLF line ends, a field with a comma, quote or line break is quoted with its quotes doubled.
/// A run without metrics (it diverged) leaves the metric fields empty, and a run stored before training points were
/// certified leaves certifiedInterpolates and robustTrainCertified (the upper end of robustTrain) empty.
/// </summary>
internal static class ResultsCsv
{
    public static readonly IReadOnlyList<string> MetricColumns =
    [
        "interpolates", "certifiedInterpolates",
        "cleanTest", "cleanTestWilsonLow", "cleanTestWilsonHigh",
        "robustTest", "robustTestWilsonLow", "robustTestWilsonHigh",
        "cleanTestCleanLabels", "cleanTestCleanLabelsWilsonLow", "cleanTestCleanLabelsWilsonHigh",
        "robustTestCleanLabels", "robustTestCleanLabelsWilsonLow", "robustTestCleanLabelsWilsonHigh",
        // The robust test error's upper end (test points not certified robust) and the points between the two ends.
        "robustTestCertified", "robustTestCertifiedWilsonLow", "robustTestCertifiedWilsonHigh", "undecided", "testPoints",
        "robustTrain", "robustTrainCertified", "robustTrainLoss",
        "diverged", "divergence",
        "secondsPerIteration",
        // What ran, beside the settings' columns of the same names: "auto" asks, these say what it chose.
        "modeUsed", "precisionUsed", "backend",
    ];

    /// <summary>The first column: the run's id.</summary>
    public const string RunIdColumn = "runId";

    public static string Render(IReadOnlyList<RunRecord> runs)
    {
        var keys = runs.SelectMany(r => r.Settings.Given).Where(k => k != Keys.Seed).Distinct().OrderBy(k => k.Name, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        WriteRow(sb, keys.Select(k => k.Name).Prepend(RunIdColumn).Append(Keys.Seed.Name).Concat(MetricColumns));
        foreach (var r in runs)
        {
            var fields = new List<string>(keys.Count + MetricColumns.Count + 2) { RunId.Of(r.Settings) };
            fields.AddRange(keys.Select(k => r.Settings.TextOf(k) ?? ""));
            fields.Add(r.Seed.ToString(CultureInfo.InvariantCulture));
            var m = r.Metrics;
            fields.Add(m is null ? "" : Bool(m.Interpolates));
            fields.Add(m?.CertifiedInterpolates is { } certified ? Bool(certified) : "");
            foreach (var e in new[] { m?.CleanTest, m?.RobustTest, m?.CleanTestCleanLabels, m?.RobustTestCleanLabels })
            {
                fields.Add(Num(e?.Rate));
                fields.Add(Num(e?.WilsonLow));
                fields.Add(Num(e?.WilsonHigh));
            }
            fields.Add(Num(m?.RobustTestCertified?.Rate));
            fields.Add(Num(m?.RobustTestCertified?.WilsonLow));
            fields.Add(Num(m?.RobustTestCertified?.WilsonHigh));
            fields.Add(m?.Certification is { } c ? c.Undecided.ToString(CultureInfo.InvariantCulture) : "");
            fields.Add(m is null ? "" : m.CleanTest.Total.ToString(CultureInfo.InvariantCulture));
            fields.Add(Num(m?.RobustTrain.Rate));
            fields.Add(Num(m?.RobustTrainCertified?.Rate));
            fields.Add(Num(m?.RobustTrainLoss));
            fields.Add(Bool(r.Divergence is not null));
            fields.Add(r.Divergence ?? "");
            fields.Add(Num(r.Timings?.SecondsPerIteration));
            fields.Add(r.Provenance?.Mode ?? "");
            fields.Add(r.Provenance?.Precision ?? "");
            fields.Add(r.Provenance?.Backend ?? "");
            WriteRow(sb, fields);
        }
        return sb.ToString();
    }

    /// <summary>One field as RFC 4180 wants it.</summary>
    public static string Escape(string field)
    {
        bool quote = field.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        return quote ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }

    private static void WriteRow(StringBuilder sb, IEnumerable<string> fields)
        => sb.AppendJoin(',', fields.Select(Escape)).Append("\r\n");

    private static string Num(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Bool(bool b) => b ? "true" : "false";
}
