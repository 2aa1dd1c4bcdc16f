using System.Runtime.Intrinsics;
using CsCheck;
using Verify.Simulation.Kernels;

namespace Verify.Simulation.Tests;

/// <summary>
/// The packed managed GEMM against a compensated triple loop (<see cref="GemmCase"/>): every element
/// within (k + 2⌈k/16⌉ + 4)·u of |α|·|op(A)|·|op(B)| + |β|·|C| (u = 2⁻⁵³ in f64: ≤ 1.4e-13 relative for
/// k ≤ 1000, far inside 1e-12; u = 2⁻²⁴ in f32: 4e-6 at k = 64, 6e-5 at k = 1000), C's padding
/// untouched, NaN in C ignored when β = 0. Every vector width this CPU can run, one thread and
/// forced splits over two.
/// </summary>
public class ManagedGemmTests
{
    /// <summary>
    /// Kernel configurations: each SIMD width (all run here: narrower widths are valid on wider hardware), one thread or split
    /// into parts even for tiny products. The split configurations are Slow (they double these tests' time): the fast tier
    /// runs every width on one thread, and checks the split through <see cref="Results_do_not_depend_on_the_thread_count"/>.
    /// </summary>
    public static IEnumerable<TestCaseData> Configurations()
    {
        foreach (var width in new[] { SimdWidth.V512, SimdWidth.V256, SimdWidth.Vector, SimdWidth.Scalar })
        {
            if (width == SimdWidth.V512 && !Vector512.IsHardwareAccelerated) continue;
            if (width == SimdWidth.V256 && !Vector256.IsHardwareAccelerated) continue;
            foreach (int threads in new[] { 1, 2 })
            {
                var data = new TestCaseData(width.ToString(), threads).SetArgDisplayNames(width.ToString(), $"{threads} threads");
                yield return threads > 1 ? data.SetCategory(Categories.Slow) : data;
            }
        }
    }

    private static ManagedGemm Kernel(string width, int threads) => new(Enum.Parse<SimdWidth>(width)) { Threads = threads, ParallelMinFlops = threads > 1 ? 0 : 2e6 };

    private static readonly double[] Alphas = [1, -0.37, 2.5];
    private static readonly double[] Betas = [0, 1, 0.5];

    private static Gen<GemmCase> Cases(bool single, int maxM, int maxN, int maxK) =>
        Gen.Select(Gen.Int[0, maxM], Gen.Int[0, maxN], Gen.Int[0, maxK], Gen.Int[0, 3], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 4], Gen.ULong)
            .Select((m, n, k, trans, ai, bi, pad, seed) => GemmCase.Random(m, n, k, (trans & 1) != 0, (trans & 2) != 0, Alphas[ai], Betas[bi], pad, seed, single));

    [TestCaseSource(nameof(Configurations))]
    public void Random_shapes_agree_with_the_reference_in_double(string width, int threads)
    {
        var gemm = Kernel(width, threads);
        Cases(false, 40, 80, 70).ForAll(c =>
        {
            var error = c.Check(c.RunDouble(gemm), single: false, normwise: 1e-12);
            if (error is not null) throw new Exception(error);
        }, iter: 300);
    }

    [TestCaseSource(nameof(Configurations))]
    public void Random_shapes_agree_with_the_reference_in_single(string width, int threads)
    {
        var gemm = Kernel(width, threads);
        Cases(true, 40, 80, 70).ForAll(c =>
        {
            var error = c.Check(c.RunSingle(gemm), single: true);
            if (error is not null) throw new Exception(error);
        }, iter: 300);
    }

    /// <summary>
    /// Every tail of the default kernel: rows around the 8-row tile and the 8- and 4-row transposing
    /// packers, columns around vector (8 f64, 16 f32) and 3-vector panel (24, 48) edges, depths that
    /// split into several blocks (f64 depth 256, f32 512), all four transposes, padded strides.
    /// </summary>
    [Test]
    [Category(Categories.Slow)]
    public void Every_tile_edge_and_depth_block_agrees_with_the_reference([Values(false, true)] bool single, [Values(1, 2)] int threads)
    {
        var gemm = Kernel("Auto", threads);
        int[] ms = [1, 4, 7, 8, 9, 13, 17, 25], ns = [1, 7, 8, 9, 17, 23, 24, 25, 33, 47, 48, 49, 65], ks = [1, 5, 300, 777];
        ulong seed = 1;
        foreach (int m in ms) foreach (int n in ns) foreach (int k in ks) foreach (int t in new[] { 0, 1, 2, 3 })
        {
            var c = GemmCase.Random(m, n, k, (t & 1) != 0, (t & 2) != 0, Alphas[(int)(seed % 3)], Betas[(int)(seed / 3 % 3)], (int)(seed % 4), seed, single);
            seed++;
            var error = c.Check(single ? c.RunSingle(gemm) : c.RunDouble(gemm), single, normwise: single ? null : 1e-12);
            Assert.That(error, Is.Null);
        }
    }

    /// <summary>The workload's shapes (and a square one that takes several row and column blocks) against the reference, split over two threads.</summary>
    [TestCase(100, 1000, 600, false, true, 0.0)]
    [TestCase(100, 600, 1000, false, false, 0.0)]
    [TestCase(1000, 600, 100, true, false, 1.0)]
    [TestCase(300, 2100, 530, true, true, 0.5)]
    [Category(Categories.Slow)]
    public void Hot_shapes_agree_with_the_reference(int m, int n, int k, bool ta, bool tb, double beta)
    {
        var gemm = Kernel("Auto", 2);
        foreach (bool single in new[] { false, true })
        {
            var c = GemmCase.Random(m, n, k, ta, tb, beta == 0 ? 1 : -0.01, beta, 0, 7, single);
            Assert.That(c.Check(single ? c.RunSingle(gemm) : c.RunDouble(gemm), single, normwise: single ? null : 1e-12), Is.Null, single ? "f32" : "f64");
        }
    }

    [Test]
    public void Depth_zero_scales_C_by_beta_and_beta_zero_clears_NaN()
    {
        var gemm = ManagedGemm.Instance;
        double[] empty = [];
        var c = new[] { 1.0, 2, 3, 4, 5, 6 };
        gemm.Gemm(false, false, 2, 3, 0, 1.0, empty, 1, empty, 3, 0.5, c, 3);
        Assert.That(c, Is.EqualTo(new[] { 0.5, 1, 1.5, 2, 2.5, 3 }));
        var nan = new[] { double.NaN, double.NaN, double.NaN, double.NaN };
        gemm.Gemm(true, true, 2, 2, 0, 1.0, empty, 2, empty, 1, 0.0, nan, 2);
        Assert.That(nan, Is.All.EqualTo(0.0));
        var f = new[] { float.NaN, 1f };
        gemm.Gemm(false, false, 1, 2, 0, 1f, Array.Empty<float>(), 1, Array.Empty<float>(), 2, 0f, f, 2);
        Assert.That(f, Is.All.EqualTo(0f));
    }

    [Test]
    public void Alpha_zero_leaves_beta_C_and_does_not_read_A_or_B()
    {
        var a = new[] { double.NaN, double.NaN, double.NaN, double.NaN };
        var c = new[] { 1.0, 2, 3, 4 };
        ManagedGemm.Instance.Gemm(false, false, 2, 2, 2, 0.0, a, 2, a, 2, 2.0, c, 2);
        Assert.That(c, Is.EqualTo(new[] { 2.0, 4, 6, 8 }));
    }

    [Test]
    public void Empty_products_touch_nothing()
    {
        var c = new[] { 1.0, 2, 3 };
        ManagedGemm.Instance.Gemm(false, false, 0, 3, 4, 1.0, [], 4, new double[12], 3, 0.0, c, 3);
        ManagedGemm.Instance.Gemm(false, false, 3, 0, 4, 1.0, new double[12], 4, [], 1, 0.0, c, 1);
        Assert.That(c, Is.EqualTo(new[] { 1.0, 2, 3 }));
    }

    /// <summary>Every element goes through the same instructions wherever the tile and thread boundaries fall: one thread and two give the same bits.</summary>
    [Test]
    public void Results_do_not_depend_on_the_thread_count([Values(false, true)] bool single)
    {
        var one = Kernel("Auto", 1);
        var two = Kernel("Auto", 2);
        foreach (var (m, n, k, ta, tb) in new[] { (100, 1000, 600, false, true), (57, 333, 129, true, false), (1000, 600, 100, true, false) })
        {
            var c = GemmCase.Random(m, n, k, ta, tb, 0.7, 0.5, 1, 3, single);
            var x = single ? c.RunSingle(one) : c.RunDouble(one);
            var y = single ? c.RunSingle(two) : c.RunDouble(two);
            Assert.That(y, Is.EqualTo(x), c.ToString());
        }
    }

    /// <summary>
    /// A product with op(B) packed ahead gives the same bits as the same product packing as it goes
    /// (same panels, same depth blocks, same tiles), on random shapes, every transpose, both precisions,
    /// one thread and split over two; one packed operand is reused across shapes (its buffer grows).
    /// </summary>
    [TestCaseSource(nameof(Configurations))]
    public void Packing_B_ahead_changes_no_bit(string width, int threads)
    {
        var gemm = Kernel(width, threads);
        var p64 = new PackedOperand<double>();
        var p32 = new PackedOperand<float>();
        Gen.Bool.SelectMany(single => Cases(single, 40, 90, 300).Select(c => (c, single))).ForAll(t =>
        {
            var (c, single) = t;
            var direct = single ? c.RunSingle(gemm) : c.RunDouble(gemm);
            var packed = c.RunPacked(gemm, single, p64, p32);
            if (!packed.AsSpan().SequenceEqual(direct)) throw new Exception($"{c} ({(single ? "f32" : "f64")}): packed and direct products differ");
        }, iter: 150, threads: 1); // one thread: the packed operands are reused from sample to sample
    }

    [Test]
    public void Hot_shapes_packed_ahead_change_no_bit_and_a_packing_for_another_width_is_refused()
    {
        var gemm = ManagedGemm.Instance;
        var p = new PackedOperand<double>();
        foreach (var (m, n, k, ta, tb) in new[] { (100, 1000, 600, false, true), (100, 600, 1000, false, false), (256, 1000, 600, false, true) })
        {
            var c = GemmCase.Random(m, n, k, ta, tb, 1, 0, 0, 5, false);
            Assert.That(c.RunPacked(gemm, false, p, new PackedOperand<float>()), Is.EqualTo(c.RunDouble(gemm)), c.ToString());
        }
        var other = new ManagedGemm(gemm.Width == SimdWidth.Scalar ? SimdWidth.Vector : SimdWidth.Scalar);
        var ex = Assert.Throws<ArgumentException>(() => other.Gemm(false, 100, 1.0, new double[100 * 600], 600, p, 0.0, new double[100 * 1000].AsSpan(), 1000));
        Assert.That(ex!.Message, Does.Contain("packed for"));
    }

    /// <summary>Concurrent callers (parallel sweep runs): one gets the worker threads, the others compute on their own thread; all results right.</summary>
    [Test]
    [Category(Categories.Slow)]
    public void Concurrent_calls_are_correct()
    {
        var gemm = Kernel("Auto", 2);
        var cases = Enumerable.Range(0, 8).Select(i => GemmCase.Random(60 + i, 200 + 3 * i, 150, i % 2 == 0, i % 3 == 0, 1, 0.5, i % 3, (ulong)i, false)).ToArray();
        var errors = new string?[cases.Length];
        Parallel.For(0, cases.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, r =>
        {
            var c = cases[r % cases.Length];
            errors[r % cases.Length] ??= c.Check(c.RunDouble(gemm), single: false, normwise: 1e-12);
        });
        Assert.That(errors, Is.All.Null);
    }

    /// <summary>
    /// Packing buffers are per thread and reused, worker threads persist: a warm call allocates nothing, on any thread.
    /// Each thread's own count is read (the workers' on the workers, <see cref="WorkerAllocations"/>), not the process's
    /// total, which also counts what the test host's threads allocate meanwhile (NUnit's event pump reporting the
    /// previous test, the result cache's timer): more of it the slower the machine, so a bound on it could fail by load.
    /// </summary>
    [Test]
    public void A_warm_call_allocates_nothing([Values(1, 2)] int threads)
    {
        var gemm = Kernel("Auto", threads);
        gemm.ParallelMinFlops = 2e6;
        var a = new double[100 * 600]; var b = new double[1000 * 600]; var c = new double[100 * 1000];
        var af = new float[a.Length]; var bf = new float[b.Length]; var cf = new float[c.Length];
        void Both()
        {
            gemm.Gemm(false, true, 100, 1000, 600, 1.0, a, 600, b, 600, 0.0, c, 1000);
            gemm.Gemm(false, true, 100, 1000, 600, 1f, af, 600, bf, 600, 0f, cf, 1000);
            gemm.Gemm(true, false, 7, 9, 5, 1.0, a, 7, b, 9, 1.0, c, 9);
        }
        Both(); Both();
        var workersBefore = WorkerAllocations(threads);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Both();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var workersAfter = WorkerAllocations(threads);
        Assert.That(allocated, Is.Zero, "bytes allocated on the calling thread by 15 warm GEMM calls");
        for (int part = 1; part < threads; part++)
            Assert.That(workersAfter[part] - workersBefore[part], Is.Zero, $"bytes allocated on worker {part} by the 10 calls split over the workers");
    }

    /// <summary>What each thread of a split product has allocated so far, read by a call on the workers themselves (part 0 is the caller).</summary>
    private static unsafe long[] WorkerAllocations(int parts)
    {
        var bytes = new long[parts];
        fixed (long* p = bytes)
            Assert.That(GemmWorkers.TryRun(&ReadAllocatedBytes, p, parts), Is.True, "the workers are free");
        return bytes;
    }

    private static unsafe void ReadAllocatedBytes(void* state, int part) => ((long*)state)[part] = GC.GetAllocatedBytesForCurrentThread();

    /// <summary>
    /// The trainer's no-allocation promise (SpeedOptionTests checks it on OpenBLAS) holds on
    /// the managed kernel too, with products large enough to be split over the worker threads.
    /// </summary>
    [Test]
    public void Training_iterations_on_the_managed_kernel_allocate_nothing()
    {
        var gemm = ManagedGemm.Instance;
        var spec = new Runs.RunSpec { Data = new Data.GaussianMixture(30, 10, 200, 3, 0.1), Alpha = 0.5, Width = 400, Seed = 77 };
        var problem = Runs.Simulator.Realize(spec, gemm);
        long Allocated(int iterations)
        {
            var net = Model.TwoLayerNetwork<double>.Symmetric(problem.InitialHalfRows, Model.Activation.LeakyRelu());
            var trainer = new Training.AdversarialTrainer<double>(gemm);
            var settings = new Training.TrainingSettings(iterations, 0.01, RecordEvery: 1000);
            var threat = new Attack.ThreatModel(0.3, new Attack.PgdSettings(5), problem.AmbientDimension);
            trainer.Train(net, problem.TrainX, problem.TrainY, threat, settings, new Randomness.Rng(1)); // warm-up
            net = Model.TwoLayerNetwork<double>.Symmetric(problem.InitialHalfRows, Model.Activation.LeakyRelu());
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Train(net, problem.TrainX, problem.TrainY, threat, settings, new Randomness.Rng(1));
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        // Best of three: a one-off allocation (the JIT tiering a method up mid-run) is not per iteration.
        long small = Enumerable.Range(0, 3).Min(_ => Allocated(2)), large = Enumerable.Range(0, 3).Min(_ => Allocated(12));
        Assert.That((large - small) / 10.0, Is.LessThan(64), $"bytes per iteration (2 its: {small} B, 12 its: {large} B)");
    }

    [Test]
    public void Threads_are_clamped_to_the_cores()
    {
        var g = new ManagedGemm { Threads = 0 };
        Assert.That(g.Threads, Is.EqualTo(1));
        g.Threads = 10_000;
        Assert.That(g.Threads, Is.EqualTo(Environment.ProcessorCount));
        Assert.That(ManagedGemm.Instance.Width, Is.Not.EqualTo(SimdWidth.Auto));
    }
}
