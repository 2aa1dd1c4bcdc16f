using Verify.Verification.Settings;
using Verify.Simulation.Settings;
using Verify.Simulation.Evaluation;
using Verify.Verification.Results;
using Verify.Verification.Sweeps;
using Verify.Verification.Tests.Hardening;

namespace Verify.Verification.Tests.Experiments;

/// <summary>
/// The validator of stored runs, invariant by invariant: each case breaks one in a genuine record and expects the
/// problem to name that field; genuine records of every kind (finished, diverged, α = 0, no iterations, f32, naive,
/// schema 1 from before certification) have none, so that no true result is ever recomputed or refused.
/// </summary>
public class RunRecordValidationTests
{
    /// <summary>A record as `verify train --json` writes it, on the tiny settings.</summary>
    private static RunRecord Train(int exit, params string[] extra)
    {
        // The tiny settings, those given replacing those of the same name.
        var options = BadInputCorpus.Tiny.Chunk(2).Where(o => !extra.Chunk(2).Any(e => e[0] == o[0])).SelectMany(o => o);
        var r = CliRunner.Run(["train", .. options, .. extra, "--json"]);
        Assert.That(r.ExitCode, Is.EqualTo(exit), r.Err);
        return Json.Read<RunRecord>(r.Out);
    }

    private static readonly Lazy<RunRecord> Fresh = new(() => Train(0));

    private static string Fixture => Path.Combine(Repository.Root, "tests", "Verification.Tests", "Fixtures", "run-v1.json");

    private static IReadOnlyList<RecordProblem> Problems(RunRecord r) => RunRecordValidation.Problems(r);

    [Test]
    public void Genuine_records_of_every_kind_have_no_problem()
    {
        var fresh = Fresh.Value;
        Assert.That(fresh.Metrics!.RobustTestCertified, Is.Not.Null, "a current record, with certificates");
        Assert.That(Problems(fresh), Is.Empty);
        var diverged = Train(3, "--n", "60", "--learning-rate", "1e8");
        Assert.That((diverged.Metrics, diverged.Divergence is null), Is.EqualTo((null as RunMetrics, false)));
        Assert.That(Problems(diverged), Is.Empty, "a diverged run: a divergence, no metrics");
        Assert.That(Problems(Train(0, "--alpha", "0")), Is.Empty, "α = 0");
        Assert.That(Problems(Train(0, "--iterations", "0")), Is.Empty, "no iteration: an empty curve");
        Assert.That(Problems(Train(0, "--precision", "f32", "--certify-steps", "0")), Is.Empty, "f32, plain bound only");
        Assert.That(Problems(Train(0, "--mode", "naive", "--beta", "0")), Is.Empty, "naive, no label noise");
        var v1 = Json.Read<RunRecord>(Upgrade.Run(File.ReadAllText(Fixture)));
        Assert.That(Problems(v1), Is.Empty, "schema 1, written before certification");
        Assert.That(ResultStore.Read(Fixture).Problem, Is.Null);
    }

    [Test]
    public void A_genuine_record_read_from_a_file_named_by_its_id_has_no_problem_and_another_name_is_one()
    {
        var fresh = Fresh.Value;
        string id = RunId.Of(fresh.Settings);
        Assert.That(RunRecordValidation.Problems(fresh, id), Is.Empty);
        var wrong = RunRecordValidation.Problems(fresh, "0123456789abcdef");
        Assert.That(wrong.Select(p => p.Field), Is.EqualTo(new[] { "settings" }));
        Assert.That(wrong[0].Message, Does.Contain(id).And.Contain("0123456789abcdef"));
    }

    /// <summary>A consistent estimate of <paramref name="errors"/> in <paramref name="total"/>, as a run writes it.</summary>
    private static Estimate E(int errors, int total) => Estimate.Of(new ErrorEstimate(errors, total));

    private static RunRecord M(RunRecord r, Func<RunMetrics, RunMetrics> edit) => r with { Metrics = edit(r.Metrics!) };

    /// <summary>One broken invariant: what is done to a genuine record, and the field the problem must name.</summary>
    internal sealed record Breach(string Name, Func<RunRecord, RunRecord> Edit, string Field);

    private static IEnumerable<Breach> Breaches()
    {
        // The record and its identity.
        yield return new("schema of another version", r => r with { Schema = "verify.run/9" }, "schema");
        yield return new("settings missing", r => r with { Settings = null! }, "settings");
        yield return new("settings without a seed", r => r with { Settings = r.Settings.Without(Keys.Seed) }, "settings.seed");
        yield return new("settings that describe no run", r => r with { Settings = r.Settings.With(Keys.Resolution, 7) }, "settings");
        yield return new("seed not the settings' seed", r => r with { Seed = r.Seed + 1 }, "seed");
        // Provenance.
        yield return new("provenance missing", r => r with { Provenance = null! }, "provenance");
        yield return new("version empty", r => r with { Provenance = r.Provenance with { Version = "" } }, "provenance.version");
        yield return new("backend missing", r => r with { Provenance = r.Provenance with { Backend = null! } }, "provenance.backend");
        yield return new("precision unknown", r => r with { Provenance = r.Provenance with { Precision = "f16" } }, "provenance.precision");
        yield return new("precision not the settings'", r => r with { Provenance = r.Provenance with { Precision = "f32" } }, "provenance.precision");
        yield return new("mode unknown", r => r with { Provenance = r.Provenance with { Mode = "fast" } }, "provenance.mode");
        yield return new("basis dimension 0", r => r with { Provenance = r.Provenance with { BasisDimension = 0 } }, "provenance.basisDimension");
        yield return new("alpha NaN", r => r with { Provenance = r.Provenance with { Alpha = double.NaN } }, "provenance.alpha");
        yield return new("alpha not the settings'", r => r with { Provenance = r.Provenance with { Alpha = r.Provenance.Alpha + 1 } }, "provenance.alpha");
        yield return new("learning rate 0", r => r with { Provenance = r.Provenance with { LearningRate = 0 } }, "provenance.learningRate");
        yield return new("init scale negative", r => r with { Provenance = r.Provenance with { InitScale = -1 } }, "provenance.initScale");
        yield return new("attack missing", r => r with { Provenance = r.Provenance with { EvalAttack = null! } }, "provenance.evalAttack");
        yield return new("environment missing", r => r with { Provenance = r.Provenance with { Environment = null! } }, "provenance.environment");
        yield return new("0 cores", r => r with { Provenance = r.Provenance with { Environment = r.Provenance.Environment with { Cores = 0 } } }, "provenance.environment.cores");
        yield return new("signal norm infinite", r => r with { Provenance = r.Provenance with { SignalNorm = double.PositiveInfinity } }, "provenance.signalNorm");
        yield return new("noise scale negative", r => r with { Provenance = r.Provenance with { NoiseScale = -1 } }, "provenance.noiseScale");
        // Metrics or a divergence.
        yield return new("metrics missing without a divergence", r => r with { Metrics = null }, "metrics");
        yield return new("metrics beside a divergence", r => r with { Divergence = "robust training loss became NaN at iteration 3" }, "metrics");
        yield return new("an empty divergence", r => r with { Metrics = null, Divergence = " " }, "divergence");
        // Estimates.
        yield return new("an estimate missing", r => M(r, m => m with { RobustTest = null! }), "metrics.robustTest");
        yield return new("20 errors of 10", r => M(r, m => m with { CleanTest = m.CleanTest with { Errors = m.CleanTest.Total + 1 } }), "metrics.cleanTest.errors");
        yield return new("negative errors", r => M(r, m => m with { CleanTrain = m.CleanTrain with { Errors = -1 } }), "metrics.cleanTrain.errors");
        yield return new("total 0", r => M(r, m => m with { CleanTestCleanLabels = m.CleanTestCleanLabels with { Total = 0 } }), "metrics.cleanTestCleanLabels.total");
        yield return new("rate 2", r => M(r, m => m with { CleanTest = m.CleanTest with { Rate = 2 } }), "metrics.cleanTest.rate");
        yield return new("rate NaN", r => M(r, m => m with { RobustTest = m.RobustTest with { Rate = double.NaN } }), "metrics.robustTest.rate");
        yield return new("rate not errors / total", r => M(r, m => m with { CleanTest = m.CleanTest with { Rate = m.CleanTest.Rate + 1e-6 } }), "metrics.cleanTest.rate");
        yield return new("Wilson low end off", r => M(r, m => m with { CleanTest = m.CleanTest with { WilsonLow = m.CleanTest.WilsonLow + 0.01 } }), "metrics.cleanTest.wilsonLow");
        yield return new("Wilson high end off", r => M(r, m => m with { RobustTrain = m.RobustTrain with { WilsonHigh = 2 } }), "metrics.robustTrain.wilsonHigh");
        yield return new("test totals differ", r => M(r, m => m with { RobustTestCleanLabels = E(0, m.CleanTest.Total + 1) }), "metrics.robustTestCleanLabels.total");
        yield return new("training totals differ", r => M(r, m => m with { CleanTrain = E(0, m.RobustTrain.Total + 1) }), "metrics.cleanTrain.total");
        yield return new("test total not nTest", r => M(r, m => m with
        {
            CleanTest = E(0, 41), RobustTest = E(0, 41), CleanTestCleanLabels = E(0, 41), RobustTestCleanLabels = E(0, 41), RobustTestCertified = null, Certification = null,
        }), "metrics.cleanTest.total");
        yield return new("training total not n", r => M(r, m => m with
        {
            CleanTrain = E(0, 11), RobustTrain = E(0, 11), RobustTrainCertified = null, TrainCertification = null,
        }), "metrics.cleanTrain.total");
        // The other metrics.
        yield return new("interpolates contradicts the robust training errors", r => M(r, m => m with { Interpolates = !m.Interpolates }), "metrics.interpolates");
        yield return new("robust training loss NaN", r => M(r, m => m with { RobustTrainLoss = double.NaN }), "metrics.robustTrainLoss");
        yield return new("robust training loss negative", r => M(r, m => m with { RobustTrainLoss = -0.5 }), "metrics.robustTrainLoss");
        yield return new("zero-gradient steps negative", r => M(r, m => m with { ZeroGradientSteps = -1 }), "metrics.zeroGradientSteps");
        yield return new("mean PGD steps infinite", r => M(r, m => m with { MeanPgdStepsPerIteration = double.PositiveInfinity }), "metrics.meanPgdStepsPerIteration");
        yield return new("attack loss without its reference", r => M(r, m => m with { TrainingAttackLoss = 0.5, ReferenceAttackLoss = null }), "metrics.referenceAttackLoss");
        yield return new("attack loss negative", r => M(r, m => m with { TrainingAttackLoss = -1, ReferenceAttackLoss = 0.5 }), "metrics.trainingAttackLoss");
        // Certification.
        yield return new("certified upper end without its counts", r => M(r, m => m with { Certification = null }), "metrics.certification");
        yield return new("counts without the certified upper end", r => M(r, m => m with { RobustTrainCertified = null }), "metrics.robustTrainCertified");
        yield return new("certified upper end inconsistent", r => M(r, m => m with { RobustTestCertified = m.RobustTestCertified! with { Rate = 2 } }), "metrics.robustTestCertified.rate");
        yield return new("certified upper end of other points", r => M(r, m => m with { RobustTestCertified = E(0, m.CleanTest.Total + 5) }), "metrics.robustTestCertified.total");
        yield return new("certified count not total − upper errors", r => M(r, m => m with { Certification = m.Certification! with { Certified = m.Certification.Certified + 1 } }), "metrics.certification.certified");
        yield return new("more certified by the plain bound than in all", r => M(r, m => m with { Certification = m.Certification! with { CertifiedPlain = m.Certification.Certified + 1 } }), "metrics.certification.certifiedPlain");
        yield return new("more conflicts than certified", r => M(r, m => m with { Certification = m.Certification! with { Conflicts = m.Certification.Certified + 1 } }), "metrics.certification.conflicts");
        yield return new("undecided that does not add up", r => M(r, m => m with { Certification = m.Certification! with { Undecided = m.Certification.Undecided + 1 } }), "metrics.certification.undecided");
        yield return new("training undecided that does not add up", r => M(r, m => m with { TrainCertification = m.TrainCertification! with { Undecided = m.TrainCertification.Undecided + 2 } }), "metrics.trainCertification.undecided");
        yield return new("negative optimize steps", r => M(r, m => m with { TrainCertification = m.TrainCertification! with { OptimizeSteps = -1 } }), "metrics.trainCertification.optimizeSteps");
        // The curve.
        yield return new("curve missing", r => r with { Curve = null! }, "curve");
        yield return new("a curve column missing", r => r with { Curve = r.Curve with { WeightDistance = null! } }, "curve.weightDistance");
        yield return new("a curve column short", r => r with { Curve = r.Curve with { CleanError = r.Curve.CleanError[..^1] } }, "curve.cleanError");
        yield return new("iterations not increasing", r => r with { Curve = r.Curve with { Iteration = [r.Curve.Iteration[0], r.Curve.Iteration[0], .. r.Curve.Iteration[2..]] } }, "curve.iteration[1]");
        yield return new("a negative iteration", r => r with { Curve = r.Curve with { Iteration = [-1, .. r.Curve.Iteration[1..]] } }, "curve.iteration[0]");
        yield return new("a curve loss NaN", r => r with { Curve = r.Curve with { RobustLoss = [r.Curve.RobustLoss[0], double.NaN, .. r.Curve.RobustLoss[2..]] } }, "curve.robustLoss[1]");
        yield return new("a curve error rate above 1", r => r with { Curve = r.Curve with { RobustError = [1.5, .. r.Curve.RobustError[1..]] } }, "curve.robustError[0]");
        yield return new("a curve error rate negative", r => r with { Curve = r.Curve with { CleanError = [-0.1, .. r.Curve.CleanError[1..]] } }, "curve.cleanError[0]");
        yield return new("a weight distance infinite", r => r with { Curve = r.Curve with { WeightDistance = [double.PositiveInfinity, .. r.Curve.WeightDistance[1..]] } }, "curve.weightDistance[0]");
        // Timings.
        yield return new("timings missing", r => r with { Timings = null! }, "timings");
        yield return new("a negative time", r => r with { Timings = r.Timings with { TrainingSeconds = -1 } }, "timings.trainingSeconds");
        yield return new("a time NaN", r => r with { Timings = r.Timings with { SetupSeconds = double.NaN } }, "timings.setupSeconds");
        yield return new("certification time infinite", r => r with { Timings = r.Timings with { CertificationSeconds = double.PositiveInfinity } }, "timings.certificationSeconds");
    }

    public static IEnumerable<TestCaseData> Cases() => Breaches().Select(b => new TestCaseData(b).SetName("Invalid record: " + b.Name));

    [TestCaseSource(nameof(Cases))]
    public void Each_broken_invariant_is_a_problem_naming_its_field(object data)
    {
        var b = (Breach)data;
        var broken = b.Edit(Fresh.Value);
        var problems = Problems(broken);
        Assert.That(problems.Select(p => p.Field), Does.Contain(b.Field), string.Join("\n", problems));
        var named = problems.First(p => p.Field == b.Field);
        Assert.That(named.Message, Does.Contain(b.Field), "the message names the field");
        Assert.That(named.Message, Does.Not.Contain("\n"), "one line");
    }

    [Test]
    public void A_baseline_runs_result_is_checked_with_its_prefix()
    {
        var m = Fresh.Value.Metrics!;
        Assert.That(RunRecordValidation.ResultProblems(m, null, Fresh.Value.Settings, "runs[0]."), Is.Empty);
        var p = RunRecordValidation.ResultProblems(m with { CleanTest = m.CleanTest with { Rate = 2 } }, null, null, "runs[0].");
        Assert.That(p.Single().Message, Does.StartWith("runs[0].metrics.cleanTest.rate = 2 is not allowed: must be"));
        Assert.That(RunRecordValidation.ResultProblems(null, null, null, "").Single().Field, Is.EqualTo("metrics"));
        Assert.That(RunRecordValidation.EstimateProblems(E(3, 10), "e"), Is.Empty);
        Assert.That(RunRecordValidation.EstimateProblems(new Estimate(20, 10, 2, 0.9, 1), "e").Single().Field, Is.EqualTo("e.errors"));
    }
}
