using Verify.Simulation.Settings;
using System.Globalization;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Runs;

namespace Verify.Verification.Settings;

/// <summary>
/// The work a run plans, estimated from its settings before it starts, and the budget it must fit. Each
/// setting's range lets a run finish on its own (SettingKeys), but a product of them need not: T = 10⁶
/// iterations of PGD-10⁴ is 10¹⁰ attack steps, whatever the sizes. So the product is bounded too, and a run
/// that could not finish is refused at once, naming its settings, instead of hanging a sweep.
/// </summary>
/// <remarks>
/// The unit is one multiply-add; one point through the network (forward or backward) costs m·R of them, R being
/// the coordinates the mode works in (d naive, m/2 + n subspace, m/2 + n + 1 rotation-invariant):
/// training, T iterations of n points × (1 gradient + K·restarts attack steps); evaluation, the n training and
/// n_test test points × (1 + K_eval·restarts_eval attack steps + certifySteps slope steps: every point undecided
/// at worst) and the training attack's gap to a PGD-200 × 2 reference; and the data's realization in R^d
/// (a projection onto the m/2 + n basis in the subspace mode). A step over a batch of points costs at least
/// <see cref="StepFloor"/>, whatever the sizes: small runs are bound by the overhead of each step, not by
/// arithmetic. Constant factors are left out: an estimate of whether a run can finish, not of its time.
/// </remarks>
internal static class RunWork
{
    /// <summary>
    /// The most multiply-adds a run may plan: about 10⁶ s (12 days) at 10¹⁰ per second. The paper's largest
    /// Gaussian run forced into the naive mode (n = 100, n_test = 2000, m = 1000, d = 10⁶, T = 1000, PGD-20,
    /// evaluation PGD-50 × 2, 20 certificate steps) plans 2.4·10¹⁵; in the mode auto chooses, 1.4·10¹².
    /// </summary>
    public const double Budget = 1e16;


    /// <summary>Test points an MNIST run can hold at most (both 0/1 pairs of the full dataset), as in <see cref="Resources"/>.</summary>
    private const int MnistTestBound = 14_780;

    /// <summary>
    /// The least a step over a batch costs, in multiply-adds at 10¹⁰ per second: a tiny run (n = 10, m = 20, d = 30,
    /// PGD-10) takes about 9 μs per step, for 6000 multiply-adds of arithmetic.
    /// </summary>
    public const double StepFloor = 1e5;

    /// <summary>Steps × runs of the reference attack the attack gap compares the training attack with (Evaluator.ReferenceSteps, 2 runs).</summary>
    private const double ReferenceAttack = 200 * 2;

    /// <summary>The run's work by part, in multiply-adds.</summary>
    public sealed record Estimate(double Training, double Evaluation, double Certification, double Realization)
    {
        public double Total => Training + Evaluation + Certification + Realization;

        /// <summary>The part that dominates, with its product of settings, for the message.</summary>
        public string Largest => new[]
        {
            (Training, "training: iterations × n × pgdSteps × pgdRestarts × m × R"),
            (Evaluation, "the evaluation attack: (n + nTest) × evalPgdSteps × evalPgdRestarts × m × R"),
            (Certification, "the certificate: (n + nTest) × certifySteps × m × R"),
            (Realization, "realizing the data in R^d"),
        }.MaxBy(p => p.Item1).Item2;
    }

    public static Estimate Of(RunSpec spec)
    {
        var mode = Simulator.ResolveMode(spec);
        double n = spec.Data.TrainingCount, d = spec.Data.Dimension, m = spec.Width, half = Math.Floor(m / 2);
        double nTest = spec.Data is GaussianMixture g ? g.NTest : MnistTestBound;
        double r = R(mode, d, half, n);
        double pass = m * r, points = n + nTest;
        double trainSteps = (double)spec.TrainAttack.Steps * spec.TrainAttack.Restarts;
        double evalSteps = (double)spec.EvalAttack.Steps * spec.EvalAttack.Restarts;
        // One step over the training set, and over the training and test points.
        double trainStep = Math.Max(n * pass, StepFloor), allStep = Math.Max(points * pass, StepFloor);
        return new Estimate(
            Training: spec.Iterations * (1 + trainSteps) * trainStep,
            Evaluation: (1 + evalSteps) * allStep + (ReferenceAttack + trainSteps) * trainStep,
            Certification: spec.CertifySteps * allStep,
            Realization: mode switch
            {
                EmbeddingMode.RotationInvariant => 0,
                EmbeddingMode.Subspace => (points + half) * d * (half + n),
                _ => (points + half) * d,
            });
    }

    /// <summary>An input error naming the run's settings and the budget when the run plans more than <see cref="Budget"/>.</summary>
    public static void Check(RunSpec spec)
    {
        var work = Of(spec);
        if (work.Total > Budget)
        {
            var mode = Simulator.ResolveMode(spec);
            double n = spec.Data.TrainingCount, half = Math.Floor(spec.Width / 2.0);
            string sizes = spec.Data is GaussianMixture g
                ? $"n = {g.N}, nTest = {g.NTest}, m = {spec.Width}, d = {g.D}"
                : $"n = {spec.Data.TrainingCount}, m = {spec.Width}, d = {spec.Data.Dimension}";
            throw new InvalidInputException(
                $"a run of {sizes} (R = {Num(R(mode, spec.Data.Dimension, half, n))} coordinates in mode {Keys.Mode.Format(mode)}) with iterations = {spec.Iterations}, "
                + $"pgdSteps = {spec.TrainAttack.Steps} × pgdRestarts = {spec.TrainAttack.Restarts}, evalPgdSteps = {spec.EvalAttack.Steps} × evalPgdRestarts = {spec.EvalAttack.Restarts} "
                + $"and certifySteps = {spec.CertifySteps} plans about {Num(work.Total)} multiply-adds, above the budget of {Num(Budget)} per run (some 12 days at 10¹⁰ per second); "
                + $"most of it in {work.Largest}: lower those settings");
        }

    }

    private static double R(EmbeddingMode mode, double d, double half, double n) => mode switch
    {
        EmbeddingMode.Naive => d,
        EmbeddingMode.RotationInvariant => half + n + 1,
        _ => half + n,
    };

    private static string Num(double v) => v < 1e6 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.#e0", CultureInfo.InvariantCulture);
}
