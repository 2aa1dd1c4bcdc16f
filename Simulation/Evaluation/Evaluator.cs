using Verify.Simulation.Settings;
using System.Numerics;
using Verify.Simulation.Attack;
using Verify.Simulation.Certification;
using Verify.Simulation.Embedding;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Evaluation;

/// <summary>Test errors against the noisy and the clean labels, and the final state on the training set.</summary>
/// <param name="Certified">The test points (noisy labels) certified robust, attacked or undecided: the robust test error as a bracket.</param>
/// <param name="CertifiedTrain">The same for the training points (noisy training labels, the evaluation attack's α): the robust training error as a bracket [RobustTrain, not certified].</param>
public sealed record EvaluationResult(
    ErrorEstimate CleanTest,
    ErrorEstimate RobustTest,
    ErrorEstimate CleanTestCleanLabels,
    ErrorEstimate RobustTestCleanLabels,
    ErrorEstimate CleanTrain,
    ErrorEstimate RobustTrain,
    double RobustTrainLoss,
    PgdSettings Attack,
    long ZeroGradientSteps,
    AttackGap? TrainingAttackGap = null,
    CertifiedRobustness? Certified = null,
    CertifiedRobustness? CertifiedTrain = null);

/// <summary>
/// How far the training attack is from converged on the final model: the robust training loss under
/// the training attack's own settings and under a long reference attack (PGD-<see cref="Evaluator{T}.ReferenceSteps"/>
/// from zero plus a random restart). Gap = reference − training (≥ 0 up to the restart's luck).
/// </summary>
public sealed record AttackGap(double TrainingAttackLoss, double ReferenceAttackLoss, double MeanTrainingSteps)
{
    public double Gap => ReferenceAttackLoss - TrainingAttackLoss;
}

/// <summary>
/// Evaluates a trained network with an attack that is by default stronger than training's. A test
/// point counts as a robust error when the attack brings its margin to ≤ 0; against the clean labels
/// the attack is rerun with y_c for the flipped points (for the others the two targets coincide).
/// Each test point and each training point is also certified or not (<see cref="RobustnessCertifier{T}"/>),
/// which bounds the robust test error and the robust training error (noisy labels) from above: a run whose
/// training points are all certified provably interpolates, whatever an attack might have missed.
/// Not thread-safe (it holds a <see cref="Attack.Pgd{T}"/> and its scratch buffers): one per thread.
/// </summary>
internal sealed class Evaluator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const int ChunkRows = 256;
    public const int ReferenceSteps = 200;
    private readonly Pgd<T> _pgd;
    private readonly RobustnessCertifier<T> _certifier;

    public Evaluator(IGemm gemm)
    {
        _pgd = new Pgd<T>(new MarginKernel<T>(gemm));
        _certifier = new RobustnessCertifier<T>(gemm);
    }

    /// <param name="threat">The evaluation attack (its budget, search and ambient dimension).</param>
    /// <param name="trainingAttack">When given (and α &gt; 0), the gap between it and a long reference attack on the final model is measured too.</param>
    /// <param name="certifySteps">Slope-optimization steps for the test and training points that neither the plain bound certifies nor the attack flips (0: plain bound only).</param>
    /// <param name="certificationSeconds">Time spent certifying test and training points (a timing, kept out of the result so that results of equal runs are equal).</param>
    public EvaluationResult Evaluate(TwoLayerNetwork<T> net, CoordinateProblem<T> problem, ThreatModel threat, Rng rng,
        out double certificationSeconds, PgdSettings? trainingAttack = null, int certifySteps = 0)
    {
        var attack = threat.Search.Validate(Keys.EvaluationAttack);
        int r = problem.R;
        var stats = default(AttackStats);

        // Training set, final weights, evaluation attack.
        int n = problem.N;
        var train = new AttackResult<T>(n, r);
        stats += _pgd.Attack(net, problem.TrainX.Data, n, problem.TrainY, threat, rng, train, cleanMargins: true);
        double loss = 0;
        int robustTrain = 0, cleanTrain = 0;
        for (int i = 0; i < n; i++)
        {
            loss += double.CreateTruncating(Loss.Logistic(train.Margins[i]));
            if (train.Margins[i] <= T.Zero) robustTrain++;
            if (train.CleanMargins[i] <= T.Zero) cleanTrain++;
        }

        // Certificates of the training points (noisy training labels), before the attack gap below reuses `train`.
        var scratch = new CertificationScratch(r);
        var certifyClock = new System.Diagnostics.Stopwatch();
        var trainCounts = default(CertificationCounts);
        certifyClock.Start();
        for (int start = 0; start < n; start += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, n - start);
            trainCounts += Certify(net, problem.TrainX.Data.AsSpan(start * r, rows * r), rows, problem.TrainY.AsSpan(start, rows),
                train.Margins.AsSpan(start, rows), threat.Alpha, certifySteps, scratch);
        }
        certifyClock.Stop();

        // Test set in chunks.
        int nt = problem.NTest;
        int clean = 0, robust = 0, cleanCl = 0, robustCl = 0;
        var chunk = new AttackResult<T>(ChunkRows, r);
        var cqs = chunk.Margins;
        var cclean = chunk.CleanMargins;
        var flippedX = new T[ChunkRows * r];
        var flippedY = new sbyte[ChunkRows];
        var testCounts = default(CertificationCounts);
        for (int start = 0; start < nt; start += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, nt - start);
            var x = problem.TestX.Data.AsSpan(start * r, rows * r);
            var y = problem.TestY.AsSpan(start, rows);
            var yc = problem.TestYClean.AsSpan(start, rows);
            stats += _pgd.Attack(net, x, rows, y, threat, rng, chunk, cleanMargins: true);
            certifyClock.Start();
            testCounts += Certify(net, x, rows, y, cqs.AsSpan(0, rows), threat.Alpha, certifySteps, scratch);
            certifyClock.Stop();
            int flipped = 0;
            for (int i = 0; i < rows; i++)
            {
                bool same = y[i] == yc[i];
                if (cclean[i] <= T.Zero) clean++;
                if (cqs[i] <= T.Zero) robust++;
                // Margin against y_c is ±(margin against y).
                if ((same ? cclean[i] : -cclean[i]) <= T.Zero) cleanCl++;
                if (same) { if (cqs[i] <= T.Zero) robustCl++; }
                else
                {
                    x.Slice(i * r, r).CopyTo(flippedX.AsSpan(flipped * r, r));
                    flippedY[flipped++] = yc[i];
                }
            }
            if (flipped > 0)
            {
                stats += _pgd.Attack(net, flippedX, flipped, flippedY, threat, rng, chunk);
                for (int i = 0; i < flipped; i++) if (cqs[i] <= T.Zero) robustCl++;
            }
        }

        certificationSeconds = certifyClock.Elapsed.TotalSeconds;
        AttackGap? gap = null;
        if (trainingAttack is not null && threat.Alpha > 0)
        {
            var reference = new PgdSettings(ReferenceSteps, Restarts: 2);
            double RobustLoss(PgdSettings s, out AttackStats st)
            {
                st = _pgd.Attack(net, problem.TrainX.Data, n, problem.TrainY, threat with { Search = s with { WarmStart = false } }, rng, train);
                double l = 0;
                for (int i = 0; i < n; i++) l += double.CreateTruncating(Model.Loss.Logistic(train.Margins[i]));
                return l / n;
            }
            double trainLoss = RobustLoss(trainingAttack, out var ts);
            double refLoss = RobustLoss(reference, out _);
            gap = new AttackGap(trainLoss, refLoss, ts.Runs == 0 ? 0 : (double)ts.StepsTaken / ts.Runs);
        }

        return new EvaluationResult(
            new ErrorEstimate(clean, nt), new ErrorEstimate(robust, nt),
            new ErrorEstimate(cleanCl, nt), new ErrorEstimate(robustCl, nt),
            new ErrorEstimate(cleanTrain, n), new ErrorEstimate(robustTrain, n),
            loss / n, attack, stats.ZeroGradientSteps, gap,
            testCounts.Result(nt, robust, certifySteps),
            trainCounts.Result(n, robustTrain, certifySteps));
    }

    /// <summary>Certified by the plain bound, certified in all, and certified yet attacked, over some rows.</summary>
    private readonly record struct CertificationCounts(int CertifiedPlain, int Certified, int Conflicts)
    {
        public static CertificationCounts operator +(CertificationCounts a, CertificationCounts b)
            => new(a.CertifiedPlain + b.CertifiedPlain, a.Certified + b.Certified, a.Conflicts + b.Conflicts);

        public CertifiedRobustness Result(int total, int attacked, int steps) => new(total, attacked, CertifiedPlain, Certified, Conflicts, steps);
    }

    /// <summary>Buffers for one chunk: the bounds, and the undecided rows gathered for the slope optimization.</summary>
    private sealed class CertificationScratch(int r)
    {
        public readonly double[] Lower = new double[ChunkRows];
        public readonly T[] UndecidedX = new T[ChunkRows * r];
        public readonly sbyte[] UndecidedY = new sbyte[ChunkRows];
    }

    /// <summary>
    /// Certifies up to <see cref="ChunkRows"/> rows whose margins under the evaluation attack are <paramref name="attacked"/>:
    /// the plain bound for every row, then the optimized slopes for the rows neither certified nor attacked, as one batch.
    /// A row both certified and attacked is a conflict (a bug). At α = 0 the bound is the margin less its rounding allowance.
    /// </summary>
    private CertificationCounts Certify(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, int rows, ReadOnlySpan<sbyte> y, ReadOnlySpan<T> attacked,
        double alpha, int steps, CertificationScratch scratch)
    {
        int r = net.Dim;
        var lower = scratch.Lower;
        _certifier.LowerBounds(net, x, rows, y, alpha, lower);
        int certifiedPlain = 0, certified = 0, conflicts = 0, undecided = 0;
        for (int i = 0; i < rows; i++)
        {
            bool flipped = attacked[i] <= T.Zero;
            if (lower[i] > 0) { certifiedPlain++; certified++; if (flipped) conflicts++; }
            else if (!flipped && steps > 0)
            {
                // Gathered, so that the slope optimization runs on the undecided rows only, as one batch.
                x.Slice(i * r, r).CopyTo(scratch.UndecidedX.AsSpan(undecided * r, r));
                scratch.UndecidedY[undecided++] = y[i];
            }
        }
        if (undecided > 0)
        {
            _certifier.OptimizedLowerBounds(net, scratch.UndecidedX, undecided, scratch.UndecidedY, alpha, steps, lower);
            for (int i = 0; i < undecided; i++) if (lower[i] > 0) certified++;
        }
        return new CertificationCounts(certifiedPlain, certified, conflicts);
    }
}
