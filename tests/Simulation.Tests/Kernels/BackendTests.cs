using System.Runtime.Intrinsics;
using Verify.Simulation.Kernels;
using Verify.Simulation.Runs;

namespace Verify.Simulation.Tests;

/// <summary>
/// Backend selection: the agreement check that guards OpenBLAS (against fakes that are wrong in one
/// place only), the fallback and refusal it leads to, the calibration that picks the faster kernel,
/// its cache, and the record every result carries.
/// </summary>
public class BackendTests
{
    /// <summary>The managed kernel under another name, wrong where <see cref="Wrong"/> says, slowed down <see cref="Repeat"/>×.</summary>
    private sealed class FakeGemm(string name) : IGemm
    {
        public Func<bool, int, int, int, bool> Wrong { get; init; } = (_, _, _, _) => false; // (single, m, n, k) → corrupt this product?
        public int Repeat { get; init; } = 1;
        public string Name => name;
        public int Threads { get; set; } = 1;
        public int Calls;

        public void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda,
            ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc) => Product(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
            ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) => Product(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        private void Product<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda,
            ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            Calls++;
            var keep = c.ToArray();
            for (int r = 0; r < Repeat; r++)
            {
                if (r > 0) keep.CopyTo(c);
                ManagedGemm.Instance.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            }
            // Far below what a test would notice by eye, far above rounding: 1e-9 in f64, 1e-2 in f32.
            bool single = typeof(T) == typeof(float);
            if (Wrong(single, m, n, k)) c[(m - 1) * ldc + n - 1] += T.CreateTruncating(single ? 1e-2 : 1e-9);
        }
    }

    /// <summary>A store in memory: what was saved, and what Load finds.</summary>
    private sealed class MemoryStore : ICalibrationStore
    {
        public readonly Dictionary<string, Calibration> Entries = new();
        public readonly List<Calibration> Saved = new();
        public int Loads;

        public Calibration? Load(string machine)
        {
            Loads++;
            return Entries.GetValueOrDefault(machine);
        }

        public bool Save(Calibration calibration)
        {
            Saved.Add(calibration);
            Entries[calibration.Machine] = calibration;
            return true;
        }
    }

    /// <summary>A probe that answers what the test says (a crash, a calibration, or "could not try") and counts its trials.</summary>
    private sealed class FakeProbe(Func<string, ProbeResult?> answer) : IOpenBlasProbe
    {
        public int Trials;

        public ProbeResult? Try(string machine)
        {
            Trials++;
            return answer(machine);
        }
    }

    private static string UniqueName(string what) => $"fake-{what}-{Guid.NewGuid():N}"[..24];

    [Test]
    public void The_managed_kernel_agrees_with_itself_at_every_width_and_openblas_agrees_with_it()
    {
        foreach (var width in new[] { SimdWidth.Scalar, SimdWidth.Vector, SimdWidth.V256, SimdWidth.V512 }
                     .Where(w => w switch { SimdWidth.V512 => Vector512.IsHardwareAccelerated, SimdWidth.V256 => Vector256.IsHardwareAccelerated, _ => true }))
            Assert.That(AgreementCheck.FindMismatch(new ManagedGemm(width), ManagedGemm.Instance), Is.Null, width.ToString());
        if (OpenBlas.TryLoad() is { } ob) Assert.That(AgreementCheck.FindMismatch(ob, ManagedGemm.Instance), Is.Null, Backend.Describe(ob));
    }

    [TestCase(false, 0, TestName = "f64, small products")]
    [TestCase(false, 1_000_000, TestName = "f64, only above the small-matrix threshold")]
    [TestCase(true, 0, TestName = "f32, small products")]
    [TestCase(true, 1_000_000, TestName = "f32, only above the small-matrix threshold")]
    public void A_wrong_kernel_is_caught_in_each_precision_and_size(bool single, int minMnk)
    {
        var fake = new FakeGemm(UniqueName("wrong")) { Wrong = (s, m, n, k) => s == single && (long)m * n * k > minMnk };
        string? mismatch = AgreementCheck.FindMismatch(fake, ManagedGemm.Instance);
        Assert.That(mismatch, Does.StartWith(single ? "f32" : "f64"));
        Assert.That(mismatch, Does.Contain("max |difference|"));
    }

    [Test]
    public void Auto_falls_back_to_the_managed_kernel_with_a_warning_naming_the_library_and_kernel()
    {
        var fake = new FakeGemm(UniqueName("wrong")) { Wrong = (s, _, _, _) => !s };
        var s = Backend.Select(BlasChoice.Auto, fake, ManagedGemm.Instance, context: null);
        Assert.That(s.Gemm, Is.SameAs(ManagedGemm.Instance));
        Assert.That(s.Warning, Does.StartWith("warning: " + fake.Name + " (FakeGemm").And.Contain("disagrees with the managed kernel").And.Contain("f64"));
        Assert.That(s.Warning!.Split('\n'), Has.Length.EqualTo(1), "one line");
        Assert.That(s.Reason, Does.Contain("disagrees").And.Contain("fell back"), "recorded in the provenance");
    }

    [Test]
    public void A_forced_wrong_openblas_is_refused_and_the_check_runs_once_per_kernel()
    {
        var fake = new FakeGemm(UniqueName("wrong")) { Wrong = (s, _, _, _) => s };
        var ex = Assert.Throws<InvalidInputException>(() => Backend.Select(BlasChoice.OpenBlas, fake, ManagedGemm.Instance, null));
        Assert.That(ex!.Message, Does.Contain("openblas").And.Contain("disagrees").And.Contain("managed"));
        int calls = fake.Calls;
        Assert.That(calls, Is.GreaterThan(0));
        Assert.Throws<InvalidInputException>(() => Backend.Select(BlasChoice.OpenBlas, fake, ManagedGemm.Instance, null));
        Assert.That(fake.Calls, Is.EqualTo(calls), "the verdict is remembered for the process");
    }

    [Test]
    public void Without_openblas_auto_is_managed_and_forcing_openblas_is_an_error()
    {
        var auto = Backend.Select(BlasChoice.Auto, null, ManagedGemm.Instance, null);
        Assert.That(auto.Gemm, Is.SameAs(ManagedGemm.Instance));
        Assert.That(auto.Reason, Does.Contain(OpenBlas.LibraryName).And.Contain("not found"));
        var ex = Assert.Throws<InvalidInputException>(() => Backend.Select(BlasChoice.OpenBlas, null, ManagedGemm.Instance, null));
        Assert.That(ex!.Message, Does.Contain(OpenBlas.LibraryName).And.Contain("libopenblas0-pthread"));
        var forced = Backend.Select(BlasChoice.Managed, new FakeGemm(UniqueName("never")), ManagedGemm.Instance, null);
        Assert.That((forced.Gemm, forced.Reason), Is.EqualTo(((IGemm)ManagedGemm.Instance, "forced")));
    }

    /// <summary>
    /// A timing test by nature (the calibration measures), kept with a wide margin: a kernel doing 3× the work must measure
    /// slower by more than the 1.05× tie margin, each kernel timed best of 9 on every shape, the two alternating product by
    /// product, so that a slow or loaded machine slows both alike. 30 calibrations on one core shared with two busy loops, and
    /// 30 on both cores beside a concurrent test suite, measured the 3× kernel at least 3.6× slower than the managed kernel
    /// and 2.6× slower than the plain fake.
    /// </summary>
    [Test]
    [Category(Categories.Slow)]
    public void Auto_takes_the_kernel_that_measures_faster_and_restores_thread_counts()
    {
        // A correct "native" kernel that does every product three times is slower than the managed one,
        // and the managed kernel slowed the same way is slower than a correct plain one.
        var slowNative = new FakeGemm(UniqueName("slow")) { Repeat = 3, Threads = 7 };
        var pick = Backend.Select(BlasChoice.Auto, slowNative, ManagedGemm.Instance, null);
        Assert.That(pick.Gemm, Is.SameAs(ManagedGemm.Instance), pick.Reason);
        Assert.That(pick.Reason, Does.StartWith("auto: ").And.Contain($"× faster than {slowNative.Name} (FakeGemm) on the hot shapes, calibrated 20"));
        Assert.That(pick.Reason, Does.Not.Contain("tie"), "three times the work is no tie");
        Assert.That(slowNative.Threads, Is.EqualTo(7), "calibration restores the kernel's thread count");

        var fastNative = new FakeGemm(UniqueName("fast"));
        var slowManaged = new FakeGemm(UniqueName("slowmanaged")) { Repeat = 3 };
        var other = Backend.Select(BlasChoice.Auto, fastNative, slowManaged, null);
        Assert.That(other.Gemm, Is.SameAs(fastNative), other.Reason);
        Assert.That(other.Reason, Does.Contain($"faster than {slowManaged.Name} (FakeGemm)"));
    }

    [Test]
    [Category(Categories.Slow)]
    public void A_calibration_is_kept_per_machine_in_the_store_and_reused()
    {
        var store = new MemoryStore();
        var native = new FakeGemm(UniqueName("cached")) { Repeat = 3 };
        var first = Backend.Select(BlasChoice.Auto, native, ManagedGemm.Instance, new BackendContext(store));
        var kept = store.Saved.Single();
        // The choice is the one the kept times make (which kernel measured faster is Auto_takes_the_kernel_that_measures_faster's).
        Assert.That(first.Gemm, Is.SameAs(kept.Choice == BlasChoice.OpenBlas ? native : (IGemm)ManagedGemm.Instance));
        Assert.That(kept.Machine, Does.Contain(native.Name).And.Contain(Machine.CpuModel));
        Assert.That(kept.Problem, Is.Null);

        // A later process reads the store instead of measuring: stored times that reverse the first choice decide.
        Backend.ForgetCalibrations();
        bool nativeWasChosen = ReferenceEquals(first.Gemm, native);
        store.Entries[kept.Machine] = kept with { ManagedSeconds = nativeWasChosen ? 1 : 2, OpenBlasSeconds = nativeWasChosen ? 2 : 1 };
        int calls = native.Calls;
        var reread = Backend.Select(BlasChoice.Auto, native, ManagedGemm.Instance, new BackendContext(store));
        Assert.That(reread.Gemm, Is.SameAs(nativeWasChosen ? ManagedGemm.Instance : (IGemm)native), "the stored (reversed) numbers decide");
        Assert.That(native.Calls, Is.EqualTo(calls), "nothing was measured");
        Assert.That(store.Saved, Has.Count.EqualTo(1), "nothing new to keep");
    }

    [Test]
    public void A_kernel_that_crashed_in_its_trial_is_never_run_here_auto_warns_and_openblas_is_refused()
    {
        var native = new FakeGemm(UniqueName("crashes"));
        var store = new MemoryStore();
        var probe = new FakeProbe(m => new ProbeResult(Calibration.Unusable(m, "crashed with SIGILL (an instruction this CPU lacks) when tried in a child process"), Lasting: true));
        var context = new BackendContext(store, probe);

        var auto = Backend.Select(BlasChoice.Auto, native, ManagedGemm.Instance, context);
        Assert.That(auto.Gemm, Is.SameAs(ManagedGemm.Instance));
        Assert.That(auto.Warning, Does.StartWith($"warning: {native.Name} (FakeGemm) crashed with SIGILL").And.EndWith("; using the managed kernel"));
        Assert.That(auto.Warning!.Split('\n'), Has.Length.EqualTo(1), "one line");
        Assert.That(auto.Reason, Does.Contain("crashed with SIGILL").And.Contain("fell back"));
        var ex = Assert.Throws<InvalidInputException>(() => Backend.Select(BlasChoice.OpenBlas, native, ManagedGemm.Instance, context));
        Assert.That(ex!.Message, Does.StartWith("blas = openblas is not safe here: ").And.Contain("crashed with SIGILL").And.Contain("OPENBLAS_CORETYPE").And.EndWith("or use auto or managed"));
        Assert.That(native.Calls, Is.Zero, "the kernel never ran in this process");
        Assert.That(probe.Trials, Is.EqualTo(1), "one trial per machine key and process");
        Assert.That(store.Saved.Single().Problem, Does.Contain("SIGILL"), "a crash is the machine's: kept");

        // A later process finds the verdict in the store: no trial, no product.
        Backend.ForgetCalibrations();
        var later = new FakeProbe(_ => throw new AssertionException("no trial when the store knows"));
        Assert.Throws<InvalidInputException>(() => Backend.Select(BlasChoice.OpenBlas, native, ManagedGemm.Instance, new BackendContext(store, later)));
        Assert.That(native.Calls, Is.Zero);
    }

    [Test]
    public void A_passing_trial_is_kept_and_a_passing_kernel_is_still_checked_in_process()
    {
        var native = new FakeGemm(UniqueName("passes"));
        var store = new MemoryStore();
        var probe = new FakeProbe(m => new ProbeResult(new Calibration(m, 2.0, 1.0, DateTimeOffset.UtcNow), Lasting: true)); // OpenBLAS 2× faster
        var s = Backend.Select(BlasChoice.Auto, native, ManagedGemm.Instance, new BackendContext(store, probe));
        Assert.That(s.Gemm, Is.SameAs(native), s.Reason);
        Assert.That(s.Reason, Does.Contain("2.00× faster than managed"), "the child's calibration decides");
        Assert.That(store.Saved, Has.Count.EqualTo(1));
        Assert.That(native.Calls, Is.GreaterThan(0).And.LessThan(100), "the in-process agreement check ran, the calibration did not");

        // A kernel wrong in this process is caught even though its trial passed.
        var wrong = new FakeGemm(UniqueName("wronghere")) { Wrong = (single, _, _, _) => !single };
        var w = Backend.Select(BlasChoice.Auto, wrong, ManagedGemm.Instance, new BackendContext(null, probe));
        Assert.That(w.Gemm, Is.SameAs(ManagedGemm.Instance));
        Assert.That(w.Warning, Does.Contain("disagrees with the managed kernel"));
    }

    [Test]
    [Category(Categories.Slow)]
    public void A_trial_that_does_not_finish_counts_for_this_process_only_and_no_trial_means_in_process()
    {
        var native = new FakeGemm(UniqueName("hangs"));
        var store = new MemoryStore();
        var hang = new FakeProbe(m => new ProbeResult(Calibration.Unusable(m, "did not finish its trial in a child process within 120 s"), Lasting: false));
        var s = Backend.Select(BlasChoice.Auto, native, ManagedGemm.Instance, new BackendContext(store, hang));
        Assert.That((s.Gemm, s.Warning), Is.EqualTo(((IGemm)ManagedGemm.Instance, $"warning: {native.Name} (FakeGemm) did not finish its trial in a child process within 120 s; using the managed kernel")));
        Assert.That(store.Saved, Is.Empty, "not kept: the next process tries again");
        Assert.That(native.Calls, Is.Zero);

        Backend.ForgetCalibrations();
        var none = new FakeProbe(_ => null); // the child could not be started: tried in-process, as without a probe
        var t = Backend.Select(BlasChoice.Auto, native, ManagedGemm.Instance, new BackendContext(store, none));
        Assert.That(t.Warning, Is.Null);
        Assert.That(none.Trials, Is.EqualTo(1));
        Assert.That(native.Calls, Is.GreaterThan(0), "agreement and calibration ran here");
        Assert.That(store.Saved.Single().Problem, Is.Null, "the in-process calibration is kept");
    }

    [TestCase("SkylakeX", "avx2 fma avx", "avx512f, avx512bw, avx512dq, avx512vl")]
    [TestCase("skylakex", "avx2 fma avx avx512f avx512bw avx512dq avx512vl", null)]
    [TestCase("Cooperlake", "avx512f avx512bw avx512dq", "avx512vl")]
    [TestCase("SapphireRapids", "", "avx512f, avx512bw, avx512dq, avx512vl")]
    [TestCase("Haswell", "avx fma", "avx2")]
    [TestCase("Zen", "avx avx2 fma", null)]
    [TestCase("Sandybridge", "sse4_2", "avx")]
    [TestCase("Bulldozer", "avx fma", "fma4")]
    [TestCase("Prescott", "", null)]
    [TestCase("ARMV8", "", null)]
    public void A_cpu_kernel_needs_the_instructions_it_executes(string core, string flags, string? missing)
    {
        var has = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.That(OpenBlasCores.Missing(core, has.Contains), Is.EqualTo(missing));
    }

    [Test]
    public void This_cpu_runs_the_kernel_openblas_chose_for_it()
    {
        if (OpenBlas.TryLoad() is not { } ob) { Assert.Ignore($"{OpenBlas.LibraryName} is not installed"); return; }
        if (Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is { Length: > 0 } pinned) { Assert.Ignore($"OPENBLAS_CORETYPE={pinned} pins the kernel"); return; }
        Assert.That(OpenBlasCores.Unsupported(ob.CoreName), Is.Null, $"{ob.CoreName} on {Machine.CpuModel}: the table must not refuse OpenBLAS's own choice");
        if (Machine.CpuFlags is { } flags) Assert.That(flags, Does.Contain("sse2"), "flags as Linux names them");
    }

    [TestCase(0.020, 0.025, "managed", "1.25× faster than openblas (X)")]
    [TestCase(0.050, 0.025, "openblas", "2.00× faster than managed (V)")]
    [TestCase(0.0206, 0.020, "managed", "a tie with openblas (X) (it measured 1.03× faster, within the 1.05× margin it must beat)")]
    [TestCase(0.020, 0.020, "managed", "a tie with openblas (X) (it measured 1.00× faster, within the 1.05× margin it must beat)")]
    public void Calibration_chooses_openblas_only_beyond_the_margin(double managed, double openBlas, string choice, string verdict)
    {
        var c = new Calibration("m", managed, openBlas, new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));
        Assert.That(c.Choice.Name(), Is.EqualTo(choice));
        Assert.That(c.Verdict("managed (V)", "openblas (X)"), Is.EqualTo(verdict));
        Assert.That((c with { OpenBlasSeconds = double.NaN }).IsValid, Is.False);
    }

    [Test]
    public void Choices_parse_and_bad_ones_name_the_field()
    {
        Assert.That(BlasChoices.Parse(null, "x"), Is.EqualTo(BlasChoice.Auto));
        Assert.That(BlasChoices.Parse(" OpenBLAS ", "x"), Is.EqualTo(BlasChoice.OpenBlas));
        Assert.That(BlasChoices.Parse("managed", "x"), Is.EqualTo(BlasChoice.Managed));
        var ex = Assert.Throws<InvalidInputException>(() => BlasChoices.Parse("mkl", "VERIFY_BLAS"));
        Assert.That(ex!.Message, Is.EqualTo("VERIFY_BLAS = 'mkl' is not allowed: must be auto, managed or openblas, or unset"));
        foreach (var blank in new[] { "", " ", "\t" })
        {
            ex = Assert.Throws<InvalidInputException>(() => BlasChoices.Parse(blank, "--blas"), "a blank value is not auto");
            Assert.That(ex!.Message, Is.EqualTo($"--blas = '{blank.Replace('\t', '?')}' is not allowed: must be auto, managed or openblas"), "one printable line");
        }
    }

    [Test]
    public void The_kernel_in_force_is_described_with_why_it_was_chosen()
    {
        using (Backend.Configure(BlasChoice.Managed, null, null))
        {
            Assert.That(Backend.Default, Is.SameAs(ManagedGemm.Instance));
            Assert.That(Backend.Describe(ManagedGemm.Instance), Does.StartWith("managed (Vector").And.EndWith("; forced)"));
            var result = Simulator.Run(TestProblems.Small(iterations: 3));
            Assert.That(result.Backend, Does.StartWith("managed (").And.Contain("forced"));
        }
        Assert.That(Backend.Describe(new FakeGemm("x")), Is.EqualTo("x (FakeGemm, 1 thread)"), "another kernel: no reason");
    }

    [Test]
    public void Runs_on_either_backend_agree_to_rounding()
    {
        if (OpenBlas.TryLoad() is not { } ob) { Assert.Ignore($"{OpenBlas.LibraryName} is not installed"); return; }
        var spec = TestProblems.Small(iterations: 40);
        var a = Simulator.Run(spec, gemm: ob);
        var b = Simulator.Run(spec, gemm: ManagedGemm.Instance);
        for (int i = 0; i < a.Training.Curve.Count; i++)
            Assert.That(b.Training.Curve[i].RobustLoss, Is.EqualTo(a.Training.Curve[i].RobustLoss).Within(1e-9).Percent, $"point {i}");
        Assert.That(b.Evaluation!.CleanTest, Is.EqualTo(a.Evaluation!.CleanTest));
        Assert.That(b.Evaluation.RobustTest, Is.EqualTo(a.Evaluation.RobustTest));
        Assert.That(b.Evaluation.RobustTrainLoss, Is.EqualTo(a.Evaluation.RobustTrainLoss).Within(1e-9).Percent);
    }
}
