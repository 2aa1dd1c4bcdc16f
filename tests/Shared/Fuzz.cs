using System.Runtime.ExceptionServices;
using CsCheck;

namespace Verify.Testing;

/// <summary>
/// CsCheck property tests that draw the same cases in every run (linked into each test project).
/// <para>Why not CsCheck's own <c>Sample</c>: it draws a new random seed in every run, and its <c>seed:</c> fixes only the
/// first iteration (CsCheck 5.0.1: the others come from each thread's own generator, seeded from the clock), so a test
/// could pass and fail on the same commit. <see cref="ForAll{T}(Gen{T}, Action{T}, long, int)"/> draws its
/// <c>iter</c> cases from one fixed PCG stream instead: the same inputs in every run, so a failure is a real bug on a
/// case that is known, never chance.</para>
/// <para>Exploration stays available through <see cref="Variable"/> (VERIFY_FUZZ_SEED):
/// unset or empty: the fixed stream (CI);
/// <c>random</c>: CsCheck's own sampling, new cases in every run, with shrinking;
/// a CsCheck seed (as a failure prints it): that case first, then CsCheck's random cases, with shrinking.
/// A failure in the fixed stream names its case's CsCheck seed: set VERIFY_FUZZ_SEED to it to replay and shrink it.</para>
/// </summary>
internal static class Fuzz
{
    public const string Variable = "VERIFY_FUZZ_SEED";

    /// <summary>The fixed stream (arbitrary, and fixed for good: changing it changes every property test's cases).</summary>
    private const uint Stream = 26;
    private const ulong FixedSeed = 20_260_126;

    /// <summary>VERIFY_FUZZ_SEED: null for the fixed stream, "random", or a CsCheck seed.</summary>
    public static string? Seed => Environment.GetEnvironmentVariable(Variable) is { } s && s.Trim() is { Length: > 0 } t ? t : null;

    /// <summary>
    /// Checks <paramref name="assert"/> on <paramref name="iter"/> cases of <paramref name="gen"/> (throwing fails the case),
    /// on <paramref name="threads"/> threads (-1: every core; 1 when the cases share state).
    /// </summary>
    public static void ForAll<T>(this Gen<T> gen, Action<T> assert, long iter = 100, int threads = -1)
    {
        if (Seed is { } seed)
        {
            gen.Sample(assert, seed: seed.Equals("random", StringComparison.OrdinalIgnoreCase) ? null : seed, iter: iter, threads: threads);
            return;
        }
        var pcg = new PCG(Stream, FixedSeed);
        var cases = new (T Value, string Seed)[iter];
        for (long i = 0; i < iter; i++)
        {
            ulong state = pcg.State;
            cases[i] = (gen.Generate(pcg, null!, out _), pcg.ToString(state));
        }
        var failures = new Exception?[iter];
        bool Run(long i)
        {
            try { assert(cases[i].Value); return true; }
            catch (Exception ex) { failures[i] = ex; return false; }
        }
        if (threads == 1) { for (long i = 0; i < iter && Run(i); i++) { } }
        else // Break: the cases before a failing one all run; later ones stop being started.
            Parallel.For(0, iter, new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount }, (i, loop) => { if (!Run(i)) loop.Break(); });

        // The first failing case in stream order, whatever the threads' timing.
        for (long i = 0; i < iter; i++)
            if (failures[i] is { } failure)
            {
                string which = $"case {i + 1} of {iter} of the fixed stream failed: {Check.Print(cases[i].Value)}; "
                    + $"{Variable}={cases[i].Seed} replays it first under CsCheck, which shrinks it";
                // An NUnit assertion has recorded its failure already: say which case, and let it stand as it is.
                if (failure is AssertionException) { TestContext.Out.WriteLine(which); ExceptionDispatchInfo.Throw(failure); }
                throw new Exception($"{which} ({failure.GetType().Name}: {failure.Message})", failure);
            }
    }

    public static void ForAll<T>(this Gen<T> gen, Func<T, bool> property, long iter = 100, int threads = -1)
        => gen.ForAll(t => { if (!property(t)) throw new Exception("the property is false"); }, iter, threads);

    public static void ForAll<T1, T2>(this Gen<(T1, T2)> gen, Action<T1, T2> assert, long iter = 100, int threads = -1)
        => gen.ForAll(t => assert(t.Item1, t.Item2), iter, threads);

    public static void ForAll<T1, T2, T3>(this Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> assert, long iter = 100, int threads = -1)
        => gen.ForAll(t => assert(t.Item1, t.Item2, t.Item3), iter, threads);

    public static void ForAll<T1, T2, T3>(this Gen<(T1, T2, T3)> gen, Func<T1, T2, T3, bool> property, long iter = 100, int threads = -1)
        => gen.ForAll(t => property(t.Item1, t.Item2, t.Item3), iter, threads);

    public static void ForAll<T1, T2, T3, T4>(this Gen<(T1, T2, T3, T4)> gen, Action<T1, T2, T3, T4> assert, long iter = 100, int threads = -1)
        => gen.ForAll(t => assert(t.Item1, t.Item2, t.Item3, t.Item4), iter, threads);

    public static void ForAll<T1, T2, T3, T4, T5>(this Gen<(T1, T2, T3, T4, T5)> gen, Action<T1, T2, T3, T4, T5> assert, long iter = 100, int threads = -1)
        => gen.ForAll(t => assert(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5), iter, threads);
}
