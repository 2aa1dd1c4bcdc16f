using Verify.Simulation.Settings;
using System.Numerics;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Attack;

/// <summary>What one attack call did, for the run's record.</summary>
internal readonly record struct AttackStats(long ZeroGradientSteps, long StepsTaken, int Runs)
{
    public static AttackStats operator +(AttackStats a, AttackStats b) => new(a.ZeroGradientSteps + b.ZeroGradientSteps, a.StepsTaken + b.StepsTaken, a.Runs + b.Runs);
}

/// <summary>
/// l2 PGD that minimizes the margin (maximizing the logistic loss without its vanishing gradient).
/// Works in the run's coordinates; a random start drawn in the ambient R^d keeps the norm of its
/// component outside the basis as one scalar ρ_i, which enters only the projection. That is exact
/// for the margins (every weight row lies in the basis, so f sees only the in-basis part of δ) but
/// the returned δ is the in-basis part only. Evaluation needs nothing more; a training step does
/// (its weight gradient is Dᵀ·(X + Δ) with the whole Δ), so a training attack that starts at random
/// (<see cref="PgdSettings.StartsAtRandom"/>) runs in naive coordinates only (<see cref="Runs.RunSpec.Validate"/>).
/// Not thread-safe: an instance keeps scratch buffers between calls (so the training loop allocates
/// nothing); give each thread its own, as every trainer and evaluator does.
/// </summary>
internal sealed class Pgd<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>||∇|| below this fraction of (1/√m)·Σ_s ||w_s|| counts as zero (rounding of cancelling pairs).</summary>
    public const double ZeroGradientRelative = 1e-10;

    private readonly MarginKernel<T> _kernel;
    private T[] _delta = [], _xadv = [], _p = [], _g = [], _q = [], _rho = [], _prevBest = [];

    public Pgd(MarginKernel<T> kernel) => _kernel = kernel;

    /// <summary>
    /// Finds for each row of <paramref name="x"/> a perturbation ||δ_i|| ≤ α that lowers y_i·f(x_i + δ_i)
    /// and leaves the worst one found, with its margin, in <paramref name="into"/> (and the margins at δ = 0
    /// when <paramref name="cleanMargins"/> is set). <paramref name="warm"/>, when not empty, is the first
    /// run's starting perturbation. Returns what the call did (also left in <see cref="AttackResult{T}.Stats"/>).
    /// </summary>
    public AttackStats Attack(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, int rows, ReadOnlySpan<sbyte> y, ThreatModel threat, Rng rng,
        AttackResult<T> into, bool cleanMargins = false, ReadOnlySpan<T> warm = default)
    {
        int r = net.Dim, m = net.Width, len = rows * r;
        if (into.Dimension != r || into.Capacity < rows)
            throw new ArgumentException($"the result holds {into.Capacity} rows of dimension {into.Dimension}; this call needs {rows} of {r}", nameof(into));
        // W is fixed for the whole attack: pack it once for all its products.
        if (threat.Search.Perturbs(threat.Alpha)) _kernel.Freeze(net); // (Perturbs: α > 0 and at least one step)
        AttackStats stats;
        try
        {
            stats = Run(net, x, rows, y, threat.Alpha, threat.Search, rng, threat.AmbientDimension,
                into.Perturbations.AsSpan(0, len), into.Margins.AsSpan(0, rows), cleanMargins ? into.CleanMargins.AsSpan(0, rows) : default, warm);
        }
        finally { _kernel.Thaw(); }
        into.Rows = rows;
        into.Stats = stats;
        return stats;
    }

    private AttackStats Run(TwoLayerNetwork<T> net, ReadOnlySpan<T> x, int rows, ReadOnlySpan<sbyte> y, double alpha,
        PgdSettings settings, Rng rng, double ambientDimension, Span<T> bestDelta, Span<T> bestQ, Span<T> cleanQ, ReadOnlySpan<T> warm)
    {
        int r = net.Dim, m = net.Width, len = rows * r;
        Ensure(ref _delta, len); Ensure(ref _xadv, len); Ensure(ref _g, len); Ensure(ref _p, rows * m);
        Ensure(ref _q, rows); Ensure(ref _rho, rows); Ensure(ref _prevBest, rows);
        bestDelta[..len].Clear();

        bool attack = settings.Perturbs(alpha);
        if (!attack)
        {
            _kernel.Margins(net, x[..len], rows, y, bestQ, default);
            if (!cleanQ.IsEmpty) bestQ[..rows].CopyTo(cleanQ);
            return new AttackStats(0, 0, 0);
        }

        bool cleanFromFirstStep = settings.Start == PgdStart.Zero && warm.IsEmpty;
        if (!cleanQ.IsEmpty && !cleanFromFirstStep) _kernel.Margins(net, x[..len], rows, y, cleanQ, default);

        T a = T.CreateTruncating(alpha);
        T step = T.CreateTruncating(settings.EffectiveStepSize(alpha));
        double threshold = ZeroGradientRelative * ZeroGradientScale(net);
        bestQ[..rows].Fill(T.PositiveInfinity);
        long zero = 0, steps = 0;

        for (int run = 0; run < settings.Restarts; run++)
        {
            var delta = _delta.AsSpan(0, len);
            var rho = _rho.AsSpan(0, rows);
            rho.Clear();
            if (run == 0 && !warm.IsEmpty) warm[..len].CopyTo(delta);
            else if (run == 0 && settings.Start == PgdStart.Zero) delta.Clear();
            else RandomStart(delta, rho, rows, r, alpha, ambientDimension, rng);

            for (int k = 0; ; k++)
            {
                var xadv = _xadv.AsSpan(0, len);
                Elementwise.Add(x[..len], delta, xadv);
                bool last = k == settings.Steps;
                var q = _q.AsSpan(0, rows);
                _kernel.Margins(net, xadv, rows, y, q, last ? default : _p.AsSpan(0, rows * m));
                if (run == 0 && k == 0 && cleanFromFirstStep && !cleanQ.IsEmpty) q.CopyTo(cleanQ);

                bestQ[..rows].CopyTo(_prevBest);
                for (int i = 0; i < rows; i++)
                    if (q[i] < bestQ[i])
                    {
                        bestQ[i] = q[i];
                        delta.Slice(i * r, r).CopyTo(bestDelta.Slice(i * r, r));
                    }
                if (last) break;
                if (k > 0 && settings.StopTolerance is { } tol && !Improved(_prevBest.AsSpan(0, rows), bestQ[..rows], tol)) break;

                var g = _g.AsSpan(0, len);
                _kernel.InputGradients(net, _p.AsSpan(0, rows * m), rows, g);
                steps++;
                for (int i = 0; i < rows; i++)
                {
                    var gi = g.Slice(i * r, r);
                    var di = delta.Slice(i * r, r);
                    T norm = T.Sqrt(Dot(gi, gi));
                    if (!(double.CreateTruncating(norm) > threshold)) { zero++; continue; }
                    T c = step / norm;
                    Elementwise.SubtractScaled(di, c, gi); // descend on the margin
                    Project(di, ref rho[i], a);
                }
            }
        }
        return new AttackStats(zero, steps, settings.Restarts);
    }

    /// <summary>(1/√m)·Σ_s ||w_s||: the size a margin gradient has when nothing cancels.</summary>
    private static double ZeroGradientScale(TwoLayerNetwork<T> net)
    {
        double sum = 0;
        for (int s = 0; s < net.Width; s++)
        {
            var row = net.Weights.Row(s);
            sum += Math.Sqrt(double.CreateTruncating(Dot(row, row)));
        }
        return sum * double.CreateTruncating(net.Scale);
    }

    private static bool Improved(ReadOnlySpan<T> before, ReadOnlySpan<T> after, double tol)
    {
        T t = T.CreateTruncating(tol);
        for (int i = 0; i < before.Length; i++)
            if (T.IsPositiveInfinity(before[i]) || before[i] - after[i] > t) return true;
        return false;
    }

    /// <summary>Scale (δ_i, ρ_i) onto the ball ||δ_i||² + ρ_i² ≤ α².</summary>
    private static void Project(Span<T> di, ref T rho, T alpha)
    {
        T norm2 = Dot(di, di) + rho * rho;
        if (norm2 <= alpha * alpha) return;
        T c = alpha / T.Sqrt(norm2);
        Elementwise.Scale(di, c);
        rho *= c;
    }

    /// <summary>Uniform in the ambient ball: radius α·U^{1/d}, direction g/||g|| with g ~ N(0, I_d) split into basis part and remainder.</summary>
    private static void RandomStart(Span<T> delta, Span<T> rho, int rows, int r, double alpha, double ambient, Rng rng)
    {
        for (int i = 0; i < rows; i++)
        {
            var di = delta.Slice(i * r, r);
            double s2 = 0;
            for (int j = 0; j < r; j++) { double z = rng.NextNormal(); di[j] = T.CreateTruncating(z); s2 += z * z; }
            double rest2 = ambient > r ? rng.NextChiSquared(ambient - r) : 0;
            double radius = alpha * Math.Exp(Math.Log(1 - rng.NextDouble()) / ambient);
            double c = radius / Math.Sqrt(s2 + rest2);
            T ct = T.CreateTruncating(c);
            for (int j = 0; j < r; j++) di[j] *= ct;
            rho[i] = T.CreateTruncating(c * Math.Sqrt(rest2));
        }
    }

    internal static T Dot(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        T s = T.Zero;
        int j = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<T>.Count)
        {
            var acc = Vector<T>.Zero;
            var av = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector<T>>(a);
            var bv = System.Runtime.InteropServices.MemoryMarshal.Cast<T, Vector<T>>(b);
            for (int v = 0; v < av.Length; v++) acc += av[v] * bv[v];
            s = Vector.Sum(acc);
            j = av.Length * Vector<T>.Count;
        }
        for (; j < a.Length; j++) s += a[j] * b[j];
        return s;
    }

    private static void Ensure(ref T[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new T[length];
    }
}
