using Verify.Simulation.Settings;
using System.Globalization;
using Verify.Simulation.Evaluation;
using Verify.Verification.Experiments;
using Verify.Verification.Settings;

namespace Verify.Verification.Results;

/// <summary>One thing wrong with a stored result: the field at fault (its JSON path, "metrics.cleanTest.rate") and what is wrong with it.</summary>
internal sealed record RecordProblem(string Field, string Message)
{
    /// <summary>"{field} = {value} is not allowed: must be {allowed}", as <see cref="InvalidInputException.MustBe"/> says it.</summary>
    public static RecordProblem MustBe(string field, string value, string allowed) => new(field, $"{field} = {value} is not allowed: must be {allowed}");

    /// <summary>A field that is absent or null (the reader cannot tell them apart: both leave the field null).</summary>
    public static RecordProblem Missing(string field, string allowed) => new(field, $"{field} is missing or null: must be {allowed}");

    public override string ToString() => Message;
}

/// <summary>
/// Every invariant a run record has when verify wrote it, checked on every read: a file can say anything,
/// and a result that lies (20 errors of 10, a rate of 2, "NaN", metrics missing without a divergence) must
/// never reach a report, a merge or a baseline. The checks are those a genuine record passes whatever its
/// run did (diverged, α = 0, no iterations, written by an earlier version), so an invalid record is a
/// damaged or edited one. Problems name the field by its JSON path, in the order of the file.
/// </summary>
internal static class RunRecordValidation
{
    /// <summary>
    /// What is wrong with <paramref name="record"/> (empty when nothing is). <paramref name="fileId"/>: the run id its
    /// file is named by, when it is named by one: its settings must hash to it.
    /// </summary>
    public static IReadOnlyList<RecordProblem> Problems(RunRecord record, string? fileId = null)
    {
        var c = new Checker();
        if (!RunRecord.Readable(record.Schema))
            c.Add(RecordProblem.MustBe("schema", Quote(record.Schema), $"'{RunRecord.CurrentSchema}' (or '{Upgrade.RunV1}', read as it)"));
        bool settingsUsable = CheckSettings(c, record.Settings, "settings");
        if (settingsUsable)
        {
            if (record.Seed != record.Settings.Seed)
                c.Add(RecordProblem.MustBe(Keys.Seed.Name, Text(record.Seed), $"the seed of its settings ({Text(record.Settings.Seed)})"));
            if (fileId is not null && RunId.Of(record.Settings) is var id && id != fileId)
                c.Add(new("settings", $"settings hash to run id {id}, not to the file's name {fileId}: the file holds another run's result or its settings were edited"));
        }
        CheckProvenance(c, record.Provenance, settingsUsable ? record.Settings : null);
        CheckResult(c, record.Metrics, record.Divergence, settingsUsable ? record.Settings : null, "");
        CheckCurve(c, record.Curve);
        CheckTimings(c, record.Timings);
        return c.Problems;
    }

    /// <summary>
    /// What is wrong with a run's result: metrics or a divergence (exactly one), and the metrics consistent. Used for
    /// baselines too (<paramref name="prefix"/> "runs[3]." there). <paramref name="settings"/>, when usable, also fixes the counts.
    /// </summary>
    public static IReadOnlyList<RecordProblem> ResultProblems(RunMetrics? metrics, string? divergence, RunSettings? settings, string prefix)
    {
        var c = new Checker();
        CheckResult(c, metrics, divergence, settings, prefix);
        return c.Problems;
    }

    /// <summary>What is wrong with an error count and its rate and interval (the Wilson interval is recomputed).</summary>
    public static IReadOnlyList<RecordProblem> EstimateProblems(Estimate? e, string field)
    {
        var c = new Checker();
        CheckEstimate(c, e, field);
        return c.Problems;
    }

    /// <summary>Collects problems; each check adds what it finds.</summary>
    private sealed class Checker
    {
        public List<RecordProblem> Problems { get; } = [];

        public void Add(RecordProblem p) => Problems.Add(p);

        public bool NotNull(object? value, string field, string allowed)
        {
            if (value is not null) return true;
            Add(RecordProblem.Missing(field, allowed));
            return false;
        }

        public void RequireText(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value)) Add(value is null ? RecordProblem.Missing(field, "a text") : RecordProblem.MustBe(field, Quote(value), "a non-empty text"));
        }

        public void AtLeast(long value, long min, string field)
        {
            if (value < min) Add(RecordProblem.MustBe(field, Text(value), $"an integer ≥ {min}"));
        }

        public void NonNegative(double value, string field)
        {
            if (!(double.IsFinite(value) && value >= 0)) Add(RecordProblem.MustBe(field, Text(value), "a finite number ≥ 0"));
        }

        public void Positive(double value, string field)
        {
            if (!(double.IsFinite(value) && value > 0)) Add(RecordProblem.MustBe(field, Text(value), "a finite number > 0"));
        }

        public void Fraction(double value, string field)
        {
            if (!(value is >= 0 and <= 1)) Add(RecordProblem.MustBe(field, Text(value), "a number in [0, 1]"));
        }

        public void OptionalNonNegative(double? value, string field)
        {
            if (value is { } v) NonNegative(v, field);
        }
    }

    /// <summary>Settings that are there and describe a run this version can run (so that a rerun and a report can use them).</summary>
    private static bool CheckSettings(Checker c, RunSettings? settings, string field)
    {
        if (!c.NotNull(settings, field, "the run's settings")) return false;
        if (!settings!.Has(Keys.Seed))
        {
            c.Add(RecordProblem.Missing($"{field}.seed", "the run's seed"));
            return false;
        }
        try
        {
            settings.ToSpec().Validate();
            return true;
        }
        catch (Exception ex) when (ex is InvalidInputException or InvalidOperationException or InvalidCastException)
        {
            c.Add(new(field, $"{field} do not describe a run: {ex.Message}"));
            return false;
        }
    }

    private static void CheckProvenance(Checker c, RunProvenance? p, RunSettings? settings)
    {
        if (!c.NotNull(p, "provenance", "what ran the run")) return;
        c.RequireText(p!.Version, "provenance.version");
        c.RequireText(p.Backend, "provenance.backend");
        if (!Keys.Precision.TryParse(p.Precision ?? "", out _)) c.Add(RecordProblem.MustBe("provenance.precision", Quote(p.Precision), Keys.Precision.Allowed));
        else if (settings?.Text(Keys.Precision) is { } precision && precision != p.Precision)
            c.Add(RecordProblem.MustBe("provenance.precision", Quote(p.Precision), $"the precision of its settings ('{precision}')"));
        if (!Keys.Mode.TryParse(p.Mode ?? "", out _))
            c.Add(RecordProblem.MustBe("provenance.mode", Quote(p.Mode), Keys.Mode.Allowed));
        c.AtLeast(p.BasisDimension, 1, "provenance.basisDimension");
        c.RequireText(p.Dataset, "provenance.dataset");
        c.NonNegative(p.Alpha, "provenance.alpha");
        // α given in the settings is the α that ran (α/M for Gaussian data is resolved to α before the run); MNIST's α/M̂ is resolved by the run.
        if (double.IsFinite(p.Alpha) && settings?.GetOrNull(Keys.Alpha) is { } alpha && alpha != p.Alpha)
            c.Add(RecordProblem.MustBe("provenance.alpha", Text(p.Alpha), $"the alpha of its settings ({Text(alpha)})"));
        c.Positive(p.LearningRate, "provenance.learningRate");
        c.Positive(p.InitScale, "provenance.initScale");
        c.RequireText(p.TrainAttack, "provenance.trainAttack");
        c.RequireText(p.EvalAttack, "provenance.evalAttack");
        c.RequireText(p.Activation, "provenance.activation");
        if (c.NotNull(p.Environment, "provenance.environment", "the machine that ran it"))
        {
            var e = p.Environment;
            c.RequireText(e.Cpu, "provenance.environment.cpu");
            c.AtLeast(e.Cores, 1, "provenance.environment.cores");
            c.RequireText(e.Runtime, "provenance.environment.runtime");
            c.RequireText(e.Os, "provenance.environment.os");
            c.RequireText(e.Blas, "provenance.environment.blas");
        }
        c.OptionalNonNegative(p.SignalNorm, "provenance.signalNorm");
        c.OptionalNonNegative(p.NoiseScale, "provenance.noiseScale");
        // Both in input units: for Gaussian data the settings' M and σ themselves.
        if (settings?.Get(Keys.Data) == DataKind.Gaussian)
        {
            if (p.SignalNorm is { } m && double.IsFinite(m) && m != settings.Get(Keys.Mu))
                c.Add(RecordProblem.MustBe("provenance.signalNorm", Text(m), $"the mu of its settings ({Text(settings.Get(Keys.Mu))}), in input units"));
            if (p.NoiseScale is { } s && double.IsFinite(s) && s != settings.Get(Keys.Sigma))
                c.Add(RecordProblem.MustBe("provenance.noiseScale", Text(s), $"the sigma of its settings ({Text(settings.Get(Keys.Sigma))})"));
        }
    }

    /// <summary>A finished run has metrics, a diverged run a divergence and nothing else (<see cref="Simulation.Runs.RunResult"/>).</summary>
    private static void CheckResult(Checker c, RunMetrics? m, string? divergence, RunSettings? settings, string prefix)
    {
        if (divergence is not null)
        {
            if (string.IsNullOrWhiteSpace(divergence)) c.Add(RecordProblem.MustBe($"{prefix}divergence", Quote(divergence), "null or the reason the run diverged"));
            if (m is not null) c.Add(new($"{prefix}metrics", $"{prefix}metrics are given beside {prefix}divergence = {Quote(divergence)}: a diverged run has no metrics"));
            return;
        }
        if (m is null)
        {
            c.Add(RecordProblem.Missing($"{prefix}metrics", $"the run's metrics, or {prefix}divergence saying why there are none"));
            return;
        }
        string f = prefix + "metrics.";
        var test = new (string Name, Estimate? E)[] { ("cleanTest", m.CleanTest), ("robustTest", m.RobustTest), ("cleanTestCleanLabels", m.CleanTestCleanLabels), ("robustTestCleanLabels", m.RobustTestCleanLabels) };
        var train = new (string Name, Estimate? E)[] { ("cleanTrain", m.CleanTrain), ("robustTrain", m.RobustTrain) };
        bool gaussian = settings?.Get(Keys.Data) == DataKind.Gaussian;
        CheckSameTotal(c, test, f, gaussian ? settings!.Get(Keys.NTest) : null, Keys.NTest.Name);
        CheckSameTotal(c, train, f, gaussian ? settings!.Get(Keys.N) : null, Keys.N.Name);
        if (m.RobustTrain is { } rt && Valid(rt) && m.Interpolates != (rt.Errors == 0))
            c.Add(RecordProblem.MustBe($"{f}interpolates", Text(m.Interpolates), $"{Text(rt.Errors == 0)}, as {f}robustTrain.errors = {rt.Errors} says"));
        c.NonNegative(m.RobustTrainLoss, $"{f}robustTrainLoss");
        c.AtLeast(m.ZeroGradientSteps, 0, $"{f}zeroGradientSteps");
        c.NonNegative(m.MeanPgdStepsPerIteration, $"{f}meanPgdStepsPerIteration");
        c.OptionalNonNegative(m.TrainingAttackLoss, $"{f}trainingAttackLoss");
        c.OptionalNonNegative(m.ReferenceAttackLoss, $"{f}referenceAttackLoss");
        if (m.TrainingAttackLoss.HasValue != m.ReferenceAttackLoss.HasValue)
            c.Add(new($"{f}{(m.TrainingAttackLoss.HasValue ? "referenceAttackLoss" : "trainingAttackLoss")}",
                $"{f}trainingAttackLoss and {f}referenceAttackLoss are measured together: one is missing"));
        CheckCertified(c, m.RobustTestCertified, m.Certification, m.RobustTest, m.CleanTest, $"{f}robustTestCertified", $"{f}certification", $"{f}robustTest");
        CheckCertified(c, m.RobustTrainCertified, m.TrainCertification, m.RobustTrain, m.CleanTrain, $"{f}robustTrainCertified", $"{f}trainCertification", $"{f}robustTrain");
    }

    /// <summary>The estimates of one set of points (test or training) are each valid and count the same points (the setting's, when known).</summary>
    private static void CheckSameTotal(Checker c, (string Name, Estimate? E)[] estimates, string f, int? expected, string setting)
    {
        foreach (var (name, e) in estimates) CheckEstimate(c, e, f + name);
        int? total = expected;
        foreach (var (name, e) in estimates)
        {
            if (e is null || e.Total < 1) continue;
            if (total is null) total = e.Total;
            else if (e.Total != total)
                c.Add(RecordProblem.MustBe($"{f}{name}.total", Text(e.Total), expected is null
                    ? $"{total}, the total of {f}{estimates[0].Name}: they count the same points"
                    : $"{total}, the setting {setting}"));
        }
    }

    /// <summary>
    /// The certified upper end of a robust error and the certification's counts, written together (both absent before
    /// certification existed): the upper end counts the same points, and the counts add up with the attacked points.
    /// </summary>
    private static void CheckCertified(Checker c, Estimate? upper, CertificationRecord? counts, Estimate? attacked, Estimate? sameTotal,
        string upperField, string countsField, string attackedField)
    {
        if (upper is null && counts is null) return;
        if (upper is null) { c.Add(RecordProblem.Missing(upperField, $"present beside {countsField}")); return; }
        if (counts is null) { c.Add(RecordProblem.Missing(countsField, $"present beside {upperField}")); return; }
        CheckEstimate(c, upper, upperField);
        c.AtLeast(counts.CertifiedPlain, 0, $"{countsField}.certifiedPlain");
        c.AtLeast(counts.Certified, 0, $"{countsField}.certified");
        c.AtLeast(counts.Undecided, 0, $"{countsField}.undecided");
        c.AtLeast(counts.Conflicts, 0, $"{countsField}.conflicts");
        c.AtLeast(counts.OptimizeSteps, 0, $"{countsField}.optimizeSteps");
        if (!Valid(upper)) return;
        if (sameTotal is not null && Valid(sameTotal) && upper.Total != sameTotal.Total)
            c.Add(RecordProblem.MustBe($"{upperField}.total", Text(upper.Total), $"{sameTotal.Total}: it counts the same points as the other errors"));
        if (counts.Certified != upper.Total - upper.Errors)
            c.Add(RecordProblem.MustBe($"{countsField}.certified", Text(counts.Certified), $"{upper.Total - upper.Errors}, the points {upperField} counts as certified"));
        if (counts.CertifiedPlain > counts.Certified)
            c.Add(RecordProblem.MustBe($"{countsField}.certifiedPlain", Text(counts.CertifiedPlain), $"at most {countsField}.certified = {counts.Certified}"));
        if (counts.Conflicts > counts.Certified)
            c.Add(RecordProblem.MustBe($"{countsField}.conflicts", Text(counts.Conflicts), $"at most {countsField}.certified = {counts.Certified}"));
        if (attacked is not null && Valid(attacked) && attacked.Total == upper.Total)
        {
            // Undecided = neither certified nor attacked = total − attacked − certified + both (CertifiedRobustness.Undecided).
            int undecided = upper.Errors - attacked.Errors + counts.Conflicts;
            if (counts.Undecided != undecided)
                c.Add(RecordProblem.MustBe($"{countsField}.undecided", Text(counts.Undecided),
                    $"{undecided}: the points neither certified nor attacked ({upperField}.errors − {attackedField}.errors + conflicts)"));
        }
    }

    private static bool Valid(Estimate e) => e.Total >= 1 && e.Errors >= 0 && e.Errors <= e.Total;

    /// <summary>Counts, the rate they give and its 95% Wilson interval, as <see cref="ErrorEstimate"/> computes them.</summary>
    private static void CheckEstimate(Checker c, Estimate? e, string field)
    {
        if (!c.NotNull(e, field, "an error count with its total, rate and Wilson interval")) return;
        if (e!.Total < 1) { c.Add(RecordProblem.MustBe($"{field}.total", Text(e.Total), "an integer ≥ 1")); return; }
        if (e.Errors < 0 || e.Errors > e.Total) { c.Add(RecordProblem.MustBe($"{field}.errors", Text(e.Errors), $"an integer in [0, {field}.total = {e.Total}]")); return; }
        double rate = (double)e.Errors / e.Total;
        // Tolerances far above rounding (files round-trip doubles exactly) and far below any real difference.
        if (!(Math.Abs(e.Rate - rate) <= 1e-12))
            c.Add(RecordProblem.MustBe($"{field}.rate", Text(e.Rate), $"{field}.errors / {field}.total = {e.Errors}/{e.Total} = {Text(rate)}"));
        var (low, high) = new ErrorEstimate(e.Errors, e.Total).Wilson95;
        if (!(Math.Abs(e.WilsonLow - low) <= 1e-9))
            c.Add(RecordProblem.MustBe($"{field}.wilsonLow", Text(e.WilsonLow), $"the 95% Wilson lower end for {e.Errors}/{e.Total}, {Text(low)}"));
        if (!(Math.Abs(e.WilsonHigh - high) <= 1e-9))
            c.Add(RecordProblem.MustBe($"{field}.wilsonHigh", Text(e.WilsonHigh), $"the 95% Wilson upper end for {e.Errors}/{e.Total}, {Text(high)}"));
    }

    /// <summary>The curve: columns of one length, iterations increasing, losses and distances finite, error rates in [0, 1].</summary>
    private static void CheckCurve(Checker c, TrainingCurve? curve)
    {
        if (!c.NotNull(curve, "curve", "the training curve (empty when no iteration ran)")) return;
        var columns = new (string Name, Array? Values)[]
        {
            ("iteration", curve!.Iteration), ("robustLoss", curve.RobustLoss), ("robustError", curve.RobustError), ("cleanError", curve.CleanError), ("weightDistance", curve.WeightDistance),
        };
        foreach (var (name, values) in columns) c.NotNull(values, $"curve.{name}", "an array (empty when no iteration ran)");
        if (columns.Any(col => col.Values is null)) return;
        int length = curve.Iteration.Length;
        foreach (var (name, values) in columns.Skip(1))
            if (values!.Length != length)
                c.Add(RecordProblem.MustBe($"curve.{name}", $"{values.Length} values", $"{length} values, one per curve.iteration"));
        for (int i = 0; i < length; i++)
        {
            int t = curve.Iteration[i];
            if (t < 0 || (i > 0 && t <= curve.Iteration[i - 1]))
            {
                c.Add(RecordProblem.MustBe($"curve.iteration[{i}]", Text(t), i == 0 ? "an integer ≥ 0" : $"an integer > curve.iteration[{i - 1}] = {curve.Iteration[i - 1]}"));
                break;
            }
        }
        // The first bad value of each column: one is enough to say what is wrong.
        FirstBad(c, curve.RobustLoss, "curve.robustLoss", v => double.IsFinite(v) && v >= 0, "a finite number ≥ 0");
        FirstBad(c, curve.RobustError, "curve.robustError", v => v is >= 0 and <= 1, "a number in [0, 1]");
        FirstBad(c, curve.CleanError, "curve.cleanError", v => v is >= 0 and <= 1, "a number in [0, 1]");
        FirstBad(c, curve.WeightDistance, "curve.weightDistance", v => double.IsFinite(v) && v >= 0, "a finite number ≥ 0");
    }

    private static void FirstBad(Checker c, double[] values, string field, Func<double, bool> ok, string allowed)
    {
        int i = Array.FindIndex(values, v => !ok(v));
        if (i >= 0) c.Add(RecordProblem.MustBe($"{field}[{i}]", Text(values[i]), allowed));
    }

    private static void CheckTimings(Checker c, RunTimingsRecord? t)
    {
        if (!c.NotNull(t, "timings", "the run's timings")) return;
        c.NonNegative(t!.SetupSeconds, "timings.setupSeconds");
        c.NonNegative(t.TrainingSeconds, "timings.trainingSeconds");
        c.NonNegative(t.EvaluationSeconds, "timings.evaluationSeconds");
        c.NonNegative(t.SecondsPerIteration, "timings.secondsPerIteration");
        c.OptionalNonNegative(t.CertificationSeconds, "timings.certificationSeconds");
    }

    private static string Text(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Text(ulong v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Text(bool v) => v ? "true" : "false";
    private static string Quote(string? s) => s is null ? "null" : $"'{s}'";
}
