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
        var s = Backend.Select(BlasChoice.Auto, fake, ManagedGemm.Instance, calibrationFile: null);
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

    [Test]
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
    public void A_calibration_is_cached_per_machine_and_reused()
    {
        string dir = Path.Combine(Path.GetTempPath(), "verify-calibration-" + Guid.NewGuid().ToString("N"));
        string file = Path.Combine(dir, "sub", "blas-calibration.json");
        try
        {
            var native = new FakeGemm(UniqueName("cached")) { Repeat = 3 };
            var first = Backend.Select(BlasChoice.Auto, native, ManagedGemm.Instance, file);
            Assert.That(first.Gemm, Is.SameAs(ManagedGemm.Instance));
            Assert.That(File.Exists(file), "the folder is created and the calibration written");
            string json = File.ReadAllText(file);
            Assert.That(json, Does.Contain(native.Name).And.Contain("managedSeconds").And.Contain(Machine.CpuModel));

            // A later process reads the file instead of measuring: swap the measured times there and the choice follows.
            Backend.ForgetCalibrations();
            var doc = System.Text.Json.Nodes.JsonNode.Parse(json)!;
            var entry = doc["calibrations"]![0]!;
            (entry["managedSeconds"], entry["openBlasSeconds"]) = (entry["openBlasSeconds"]!.DeepClone(), entry["managedSeconds"]!.DeepClone());
            File.WriteAllText(file, doc.ToJsonString());
            int calls = native.Calls;
            var reread = Backend.Select(BlasChoice.Auto, native, ManagedGemm.Instance, file);
            Assert.That(reread.Gemm, Is.SameAs(native), "the cached (swapped) numbers decide");
            Assert.That(native.Calls, Is.EqualTo(calls), "nothing was measured");

            // Another machine key (here: another native kernel) gets an entry of its own beside the first.
            var second = new FakeGemm(UniqueName("other"));
            Backend.Select(BlasChoice.Auto, second, new FakeGemm(UniqueName("slowm")) { Repeat = 3 }, file);
            json = File.ReadAllText(file);
            Assert.That(json, Does.Contain(native.Name).And.Contain(second.Name), "entries for other machines are kept");
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Test]
    public void The_cache_file_round_trips_and_bad_content_reads_as_not_calibrated()
    {
        string dir = Path.Combine(Path.GetTempPath(), "verify-calibration-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, "c.json");
        try
        {
            var c = new Calibration("machine A", 0.010, 0.012, new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
            Assert.That(CalibrationCache.Save(file, c));
            Assert.That(CalibrationCache.Load(file, "machine A"), Is.EqualTo(c));
            Assert.That(CalibrationCache.Load(file, "machine B"), Is.Null);
            for (int i = 0; i < 20; i++) CalibrationCache.Save(file, c with { Machine = $"m{i}", MeasuredAt = c.MeasuredAt.AddMinutes(i) });
            Assert.That(CalibrationCache.Load(file, "m19"), Is.Not.Null);
            Assert.That(CalibrationCache.Load(file, "machine A"), Is.Null, "only the 16 most recent machines are kept");

            foreach (var bad in new[] { "", "{", "[]", "{\"format\": 2, \"calibrations\": []}", "{\"format\":1,\"calibrations\":[{\"machine\":\"x\",\"managedSeconds\":-1,\"openBlasSeconds\":1}]}", "{\"format\":1,\"calibrations\":[null]}" })
            {
                File.WriteAllText(file, bad);
                Assert.That(CalibrationCache.Load(file, "x"), Is.Null, bad);
                Assert.That(CalibrationCache.Save(file, c with { Machine = "x" }), bad);
                Assert.That(CalibrationCache.Load(file, "x"), Is.Not.Null, "a bad file is replaced: " + bad);
            }
            Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1), "no temporary files are left behind");
            Assert.That(CalibrationCache.Save(Path.Combine(file, "below-a-file.json"), c), Is.False, "an unwritable place is skipped, not an error");
        }
        finally { Directory.Delete(dir, recursive: true); }
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
        Assert.That(ex!.Message, Is.EqualTo("VERIFY_BLAS = 'mkl' is not allowed: must be auto, managed or openblas"));
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
