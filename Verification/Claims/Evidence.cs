namespace Verify.Verification.Claims;

/// <summary>
/// What a cell's runs say about one claim (or one sanity check) at one C: which runs are beyond it on their own
/// points, at the end of the bracket that could contradict it and at the end that would confirm it, and what a
/// contradiction would need. The cell's p-value is P(Bin(runs, <see cref="PerRun"/>) ≥ runs beyond).
/// </summary>
/// <param name="PerRun">The chance, under the claim, that a run is beyond it: δ + a₀ for Theorem 3.1's bounds, δ for
/// interpolation (a run that stalled is beyond for certain), a₀ for the collapse and the sanity checks.</param>
/// <param name="Beyond">Per run: beyond the claim at the end that could contradict it.</param>
/// <param name="BeyondConfirming">Per run: beyond the claim at the end that would confirm it (the same as <paramref name="Beyond"/> without a bracket).</param>
/// <param name="CanBeBeyond">Per run: whether any measurement on its points could be beyond the claim.</param>
/// <param name="Needs">Per run: how far beyond the claim its measurement must be to count (computed only when asked: it costs a search).</param>
/// <param name="Leans">The contradicting end's measurement lies beyond the claim, significantly or not.</param>
internal sealed class Evidence(double PerRun, bool[] Beyond, bool[] BeyondConfirming, bool[] CanBeBeyond, Func<double[]> Needs, bool Leans)
{
    private double[]? _needs;

    public double PerRun { get; } = PerRun;
    public bool Leans { get; } = Leans;
    public int Runs => Beyond.Length;
    public int RunsBeyond => Beyond.Count(b => b);
    public int RunsBeyondConfirming => BeyondConfirming.Count(b => b);

    /// <summary>The cell's p-value for "beyond the claim".</summary>
    public double PValue => RunTest.CountPValue(RunsBeyond, Runs, PerRun);

    /// <summary>The same at the end of the bracket that would confirm the claim.</summary>
    public double PConfirming => RunTest.CountPValue(RunsBeyondConfirming, Runs, PerRun);

    /// <summary>
    /// Whether some outcome of these runs could reach <paramref name="level"/> (the Holm threshold of the claim alone,
    /// family-wise level / family size): enough runs, and enough of them with room to be beyond.
    /// </summary>
    public bool CanReach(double level)
        => RunTest.RunsNeeded(Runs, PerRun, level) is { } x && CanBeBeyond.Count(b => b) >= x;

    /// <summary>
    /// What a contradiction needs at <paramref name="level"/>: that many runs beyond, each measuring at least the
    /// excess over the claim (the largest of the smallest needs); null when none can.
    /// </summary>
    public Power? PowerAt(double level)
    {
        if (RunTest.RunsNeeded(Runs, PerRun, level) is not { } x) return null;
        _needs ??= Needs();
        double need = _needs.Order().ElementAt(x - 1);
        return double.IsFinite(need) ? new Power(x, Runs, need) : null;
    }

    /// <summary>The evidence of an error rate against a number, run by run.</summary>
    /// <param name="contradicting">The end of the bracket that could contradict the claim.</param>
    /// <param name="confirming">The end that would confirm it.</param>
    public static Evidence Of(RunErrors contradicting, RunErrors confirming, double bound, Side side, double perRun)
    {
        var runs = contradicting.Runs;
        bool[] Beyond(RunErrors e) => e.Runs.Select(r => RunTest.Beyond(r, bound, side)).ToArray();
        var beyond = Beyond(contradicting);
        // No count can be beyond exactly when the most extreme one is not: P(all wrong) = bᴺ above, P(none wrong) = (1 − b)ᴺ below.
        double extreme = side == Side.Above ? bound : 1 - bound;
        bool Room(RunCount r) => r.Total > 0 && (extreme <= 0 || r.Total * Math.Log(extreme) <= Math.Log(RunTest.RunLevel));
        double mean = contradicting.Mean;
        return new Evidence(perRun, beyond, ReferenceEquals(contradicting, confirming) ? beyond : Beyond(confirming),
            runs.Select(Room).ToArray(),
            () => runs.Select(r => RunTest.NeededExcess(r.Total, bound, side)).ToArray(),
            side == Side.Above ? mean > bound : mean < bound);
    }
}

/// <summary>What a contradiction needs: <paramref name="RunsNeeded"/> of the <paramref name="Runs"/> runs beyond, each by at least <paramref name="Excess"/> (0 for interpolation: a stalled run is beyond).</summary>
internal sealed record Power(int RunsNeeded, int Runs, double Excess);
