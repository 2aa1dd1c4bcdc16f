using System.Numerics;
using System.Runtime.CompilerServices;

namespace Verify.Simulation.Randomness;

/// <summary>
/// xoshiro256** (Blackman and Vigna): fast, 256 bits of state, passes BigCrush. Deterministic across
/// platforms and .NET versions, which System.Random is not promised to be.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public Rng(ulong seed)
    {
        // SplitMix64 expands one word into the four state words (never all zero).
        ulong x = seed;
        _s0 = SplitMix64(ref x); _s1 = SplitMix64(ref x); _s2 = SplitMix64(ref x); _s3 = SplitMix64(ref x);
    }

    public static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A seed derived from a parent seed and a label: distinct labels give unrelated streams.</summary>
    public static ulong Derive(ulong parent, ulong label)
    {
        ulong x = parent ^ (label * 0xD1B54A32D192ED03UL);
        SplitMix64(ref x);
        return SplitMix64(ref x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextULong()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform on [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>+1 or −1 with probability 1/2 each.</summary>
    public int NextSign() => (NextULong() >> 63) == 0 ? 1 : -1;

    public bool NextBernoulli(double p) => NextDouble() < p;

    /// <summary>Standard normal by the Marsaglia polar method (exact; pairs cached).</summary>
    public double NextNormal()
    {
        if (_hasSpare) { _hasSpare = false; return _spareNormal; }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareNormal = v * f;
        _hasSpare = true;
        return u * f;
    }

    public void FillNormal(Span<double> target, double scale = 1)
    {
        for (int i = 0; i < target.Length; i++) target[i] = scale * NextNormal();
    }

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang (exact for every shape &gt; 0, fast for huge shapes).</summary>
    public double NextGamma(double shape)
    {
        if (shape < 1)
        {
            // Boost: Gamma(a) = Gamma(a + 1)·U^{1/a}.
            double u = NextDouble();
            return NextGamma(shape + 1) * Math.Pow(u == 0 ? double.Epsilon : u, 1 / shape);
        }
        double d = shape - 1.0 / 3.0, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do { x = NextNormal(); v = 1 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>χ²(ν) = 2·Gamma(ν/2).</summary>
    public double NextChiSquared(double nu) => 2 * NextGamma(0.5 * nu);
}
