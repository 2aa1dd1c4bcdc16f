using Verify.Simulation.Settings;
using System.Numerics;
using Verify.Simulation.Attack;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Training;

/// <summary>
/// Adversarial training as the paper states it: at each iteration PGD finds δ_i for every training
/// example at the current weights, then one full-batch GD step on
/// (1/n)·Σ ℓ(y_i·f(x_i + δ_i)) with the gradient taken at those points (Danskin). α = 0 is standard training.
/// The update W ← W − η·Dᵀ·(X + Δ) uses the whole Δ, so in a reduced basis it is exact only while every δ_i
/// lies in the basis, as it does when every run starts at zero or from the previous iteration's δ. A random start's component outside the basis is kept
/// by <see cref="Pgd{T}"/> only as a norm and would be missing here, so runs whose training attack starts
/// at random are naive-only (<see cref="Runs.RunSpec.TrainingAttackStartsAtRandom"/>).
/// Not thread-safe (it holds a <see cref="Attack.Pgd{T}"/> and its scratch buffers): one per thread.
/// </summary>
internal sealed class AdversarialTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly MarginKernel<T> _kernel;
    private readonly Pgd<T> _pgd;

    public AdversarialTrainer(IGemm gemm)
    {
        _kernel = new MarginKernel<T>(gemm);
        _pgd = new Pgd<T>(_kernel);
    }

    /// <summary>Trains <paramref name="net"/> in place. <paramref name="onIteration"/> is called after each iteration with its number (1-based) and loss.</summary>
    public TrainingOutcome Train(TwoLayerNetwork<T> net, Dense<T> x, sbyte[] y, ThreatModel threat,
        TrainingSettings settings, Rng rng, Action<int, double>? onIteration = null, CancellationToken cancel = default)
    {
        settings.Validate();
        var attack = threat.Search.Validate(Keys.TrainingAttack);
        int n = x.Rows, r = net.Dim, m = net.Width;
        var w0 = (T[])net.Weights.Data.Clone();
        var found = new AttackResult<T>(n, r);
        var delta = found.Perturbations;
        var cleanQ = found.CleanMargins;
        var previousDelta = attack.WarmStart ? new T[n * r] : [];
        var xadv = new T[n * r];
        var p = new T[n * m];
        var q = new T[n];
        var curve = new List<TrainingPoint>();
        T minusEta = -T.CreateTruncating(settings.LearningRate);
        T invN = T.One / T.CreateTruncating(n);
        var stats = default(AttackStats);

        for (int t = 0; t < settings.Iterations; t++)
        {
            cancel.ThrowIfCancellationRequested();
            bool record = t % settings.RecordEvery == 0 || t == settings.Iterations - 1;
            stats += _pgd.Attack(net, x.Data, n, y, threat, rng, found, cleanMargins: record, warm: attack.WarmStart && t > 0 ? previousDelta : default);
            if (attack.WarmStart) delta.CopyTo(previousDelta, 0);

            // Gradient at the attack's points: recompute the coefficients P there.
            Elementwise.Add(x.Data.AsSpan(0, xadv.Length), delta, xadv);
            _kernel.Margins(net, xadv, n, y, q, p);
            double loss = 0; int robustErrors = 0;
            for (int i = 0; i < n; i++)
            {
                loss += double.CreateTruncating(Loss.Logistic(q[i]));
                if (q[i] <= T.Zero) robustErrors++;
            }
            loss /= n;

            if (!double.IsFinite(loss) || loss > settings.DivergenceLoss)
                return Outcome(curve, t, new Divergence(t, double.IsFinite(loss)
                    ? $"robust training loss {loss:G4} exceeded {settings.DivergenceLoss:G4} at iteration {t} (step size too large?)"
                    : $"robust training loss became {loss} at iteration {t} (step size too large?)"), stats, t);

            if (record)
            {
                int cleanErrors = 0;
                for (int i = 0; i < n; i++) if (cleanQ[i] <= T.Zero) cleanErrors++;
                curve.Add(new TrainingPoint(t, loss, (double)robustErrors / n, (double)cleanErrors / n, Distance(net.Weights.Data, w0)));
            }

            // D_is = ℓ'(q_i)/n · P_is; W ← W − η·Dᵀ·(X + Δ) (Δ entirely in these coordinates: see the class summary).
            for (int i = 0; i < n; i++)
            {
                T c = Loss.LogisticDerivative(q[i]) * invN;
                Elementwise.Scale(p.AsSpan(i * m, m), c);
            }
            _kernel.Gemm.Gemm(true, false, m, r, n, minusEta, p, m, xadv, r, T.One, net.Weights.Data, r);
            onIteration?.Invoke(t + 1, loss);
        }

        foreach (var v in net.Weights.Data)
            if (!T.IsFinite(v))
                return Outcome(curve, settings.Iterations, new Divergence(settings.Iterations, "weights became non-finite in the last step"), stats, settings.Iterations);
        if (DeadOutput(net, x, y, q, trained: settings.Iterations > 0) is { } dead)
            return Outcome(curve, settings.Iterations, new Divergence(settings.Iterations, dead), stats, settings.Iterations);
        return Outcome(curve, settings.Iterations, null, stats, settings.Iterations);
    }

    /// <summary>
    /// A trained network whose output on the training set is not finite, or is exactly 0 everywhere
    /// after at least one step, is not a model: every "error rate" measured on it would be an artefact.
    /// (f ≡ 0 is the symmetric start; it persists when the updates are lost against huge initial weights.)
    /// </summary>
    private string? DeadOutput(TwoLayerNetwork<T> net, Dense<T> x, sbyte[] y, T[] q, bool trained)
    {
        int n = x.Rows;
        _kernel.Margins(net, x.Data, n, y, q, default);
        bool allZero = true;
        for (int i = 0; i < n; i++)
        {
            if (!T.IsFinite(q[i])) return "the network's output is not finite on the training set after training (initScale or learningRate too large?)";
            if (q[i] != T.Zero) allZero = false;
        }
        return allZero && n > 0 && trained
            ? "the network's output is identically 0 after training: its updates were lost against the initial weights (initScale too large?) or vanished (learningRate too small?)"
            : null;
    }

    private static TrainingOutcome Outcome(List<TrainingPoint> curve, int iterations, Divergence? div, AttackStats stats, int attackCalls)
        => new(curve, iterations, div, stats.ZeroGradientSteps, attackCalls == 0 ? 0 : (double)stats.StepsTaken / attackCalls);

    private static double Distance(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) { double d = double.CreateTruncating(a[j] - b[j]); s += d * d; }
        return Math.Sqrt(s);
    }
}
