using Verify.Simulation.Settings;
using Verify.Verification.Boundaries;
using Verify.Verification.Experiments;
using Verify.Verification.Settings;

namespace Verify.Verification.Tests.Experiments;

/// <summary>
/// Each work setting's range lets a run finish, their product is bounded by RunWork.Budget, and every committed
/// experiment, and the paper's scale, fits it.
/// </summary>
public class RunWorkTests
{
    private static Simulation.Runs.RunSpec Spec(params (string Key, string Value)[] settings)
        => RunSettings.Parse(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)), "test").ToSpec().Validate();

    private static readonly (string, string)[] Tiny = [("n", "10"), ("nTest", "40"), ("d", "30"), ("m", "20"), ("iterations", "3"), ("pgdSteps", "1"), ("evalPgdSteps", "1")];

    [Test]
    public void Every_committed_experiment_plans_within_the_budget()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "experiments"), "*.json"))
        {
            var config = ExperimentLoader.Load(file);
            // Expand checks every cell against the budget; a boundary search plans both ends of its range.
            Assert.DoesNotThrow(() => ExperimentPlan.Expand(config, long.MaxValue), file);
            if (config.Boundary is not null) Assert.DoesNotThrow(() => BoundaryRunner.Curves(config), file);
        }
    }

    [Test]
    public void The_papers_scale_fits_even_in_the_naive_mode()
    {
        var paper = Spec(("n", "100"), ("nTest", "2000"), ("m", "1000"), ("d", "1000000"), ("iterations", "1000"), ("pgdSteps", "20"),
            ("evalPgdSteps", "50"), ("evalPgdRestarts", "2"), ("certifySteps", "20"), ("mode", "naive"));
        double work = RunWork.Of(paper).Total;
        Assert.That(work, Is.InRange(1e15, RunWork.Budget), "2.4·10¹⁵ as documented");
        Assert.DoesNotThrow(() => RunWork.Check(paper));
        Assert.That(RunWork.Of(paper with { Mode = EmbeddingMode.Auto }).Total, Is.LessThan(work / 100), "auto: rotation-invariant");
    }

    [TestCase("iterations", Keys.MaxIterations)]
    [TestCase("pgdSteps", Keys.MaxAttackSteps)]
    [TestCase("pgdRestarts", Keys.MaxAttackRuns)]
    [TestCase("evalPgdSteps", Keys.MaxAttackSteps)]
    [TestCase("evalPgdRestarts", Keys.MaxAttackRuns)]
    [TestCase("certifySteps", Keys.MaxCertifySteps)]
    public void Each_range_alone_lets_a_small_run_finish_and_one_more_is_refused(string key, int max)
    {
        var setting = Keys.Find(key)!;
        Assert.That(setting.TryParseBoxed(max.ToString()), Is.EqualTo(max));
        Assert.That(setting.TryParseBoxed((max + 1L).ToString()), Is.Null);
        Assert.That(setting.TryParseBoxed("2147483647"), Is.Null, "int's maximum is not a number of steps a run can take");
        Assert.That(setting.Allowed, Does.EndWith($", {max}]"));
        // At its maximum, with the others at the tiny run's values (restarts need a random start: mode naive).
        var spec = Spec([.. Tiny.Where(t => t.Item1 != key), (key, max.ToString()), ("mode", "naive")]);
        Assert.DoesNotThrow(() => RunWork.Check(spec), key);
    }

    [Test]
    public void A_product_of_ranges_that_cannot_finish_is_refused_naming_the_settings_and_the_budget()
    {
        var spec = Spec([.. Tiny.Where(t => t.Item1 is not ("iterations" or "pgdSteps")), ("iterations", "1000000"), ("pgdSteps", "10000"), ("pgdRestarts", "100")]);
        var message = Assert.Throws<InvalidInputException>(() => RunWork.Check(spec))!.Message;
        Assert.That(message, Does.Contain("iterations = 1000000").And.Contain("pgdSteps = 10000 × pgdRestarts = 100")
            .And.Contain("above the budget of 1e16 per run").And.Contain("most of it in training"));
        var big = Spec(("n", "100"), ("nTest", "2000"), ("m", "1000"), ("d", "10000000"), ("mode", "naive"));
        Assert.That(Assert.Throws<InvalidInputException>(() => RunWork.Check(big))!.Message, Does.Contain("d = 10000000").And.Contain("mode naive"));
    }

    [Test]
    public void Small_runs_are_counted_by_their_steps_not_their_arithmetic()
    {
        // 10¹² attack steps of 6000 multiply-adds each: 6·10¹⁵ of arithmetic, but 10¹² steps of about 10 μs.
        var spec = Spec([.. Tiny.Where(t => t.Item1 is not ("iterations" or "pgdSteps")), ("iterations", "1000000"), ("pgdSteps", "10000"), ("pgdRestarts", "100"), ("mode", "naive")]);
        Assert.That(RunWork.Of(spec).Training, Is.GreaterThanOrEqualTo(1e12 * RunWork.StepFloor));
    }
}
