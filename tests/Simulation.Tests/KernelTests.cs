using Verify.Simulation.Kernels;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Tests;

public class KernelTests
{
    // The hot shapes (m, n, k, transA, transB): forward X·Wᵀ, input gradient P·W, weight update Pᵀ·X,
    // evaluation forward, test projection chunk·Qᵀ, Gram A·Aᵀ, basis Linv·A; plus odd sizes for edges.
    private static readonly object[] Shapes =
    [
        new object[] { 100, 1000, 600, false, true },
        new object[] { 100, 600, 1000, false, false },
        new object[] { 1000, 600, 100, true, false },
        new object[] { 256, 1000, 600, false, true },
        new object[] { 64, 600, 3000, false, true },
        new object[] { 600, 600, 2000, false, true },
        new object[] { 600, 2000, 600, false, false },
        new object[] { 7, 13, 5, true, true },
        new object[] { 1, 1, 1, false, false },
    ];

    private static double[] Random(int length, ulong seed)
    {
        var a = new double[length];
        new Rng(seed).FillNormal(a);
        return a;
    }

    [TestCaseSource(nameof(Shapes))]
    public void OpenBlas_and_managed_agree_to_1e12(int m, int n, int k, bool ta, bool tb)
    {
        var openblas = OpenBlas.TryLoad();
        if (openblas is null) Assert.Ignore($"{OpenBlas.LibraryName} is not installed: nothing to compare (CI installs libopenblas0-pthread)");
        var a = Random(m * k, 1); var b = Random(k * n, 2); var c0 = Random(m * n, 3);
        int lda = ta ? m : k, ldb = tb ? k : n;
        foreach (var (alpha, beta) in new[] { (1.0, 0.0), (-0.37, 1.0) })
        {
            var c1 = (double[])c0.Clone(); var c2 = (double[])c0.Clone();
            openblas!.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c1, n);
            ManagedGemm.Instance.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c2, n);
            Assert.That(TestProblems.RelativeFrobenius(c2, c1), Is.LessThanOrEqualTo(1e-12), $"α={alpha}, β={beta}");
        }
    }

    /// <summary>
    /// f32 on the hot shapes: both kernels round differently (blocking, FMA order), so the bound is the
    /// rounding bound of either, 2·(k + 2⌈k/16⌉ + 4)·2⁻²⁴ relative to |α|·|op(A)|·|op(B)| + |β|·|C|
    /// elementwise (1.3e-4 at k = 1000; typical differences are ~100× smaller), and 1e-5 in relative
    /// Frobenius norm (random-walk growth √k·u ≈ 2e-6 at k = 1000).
    /// </summary>
    [TestCaseSource(nameof(Shapes))]
    [Category(Categories.Slow)]
    public void OpenBlas_and_managed_agree_in_single_precision(int m, int n, int k, bool ta, bool tb)
    {
        var openblas = OpenBlas.TryLoad();
        if (openblas is null) Assert.Ignore($"{OpenBlas.LibraryName} is not installed: nothing to compare (CI installs libopenblas0-pthread)");
        var a = Array.ConvertAll(Random(m * k, 1), v => (float)v); var b = Array.ConvertAll(Random(k * n, 2), v => (float)v);
        var c0 = Array.ConvertAll(Random(m * n, 3), v => (float)v);
        int lda = ta ? m : k, ldb = tb ? k : n;
        foreach (var (alpha, beta) in new[] { (1f, 0f), (-0.37f, 1f) })
        {
            var c1 = (float[])c0.Clone(); var c2 = (float[])c0.Clone();
            openblas!.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c1, n);
            ManagedGemm.Instance.Gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c2, n);
            // |α|·|op(A)|·|op(B)| + |β|·|C| by OpenBLAS in f64 on the absolute values: the scale of the bound.
            var absC = Array.ConvertAll(c0, v => Math.Abs((double)beta * v));
            openblas.Gemm(ta, tb, m, n, k, Math.Abs((double)alpha), Array.ConvertAll(a, v => Math.Abs((double)v)), lda,
                Array.ConvertAll(b, v => Math.Abs((double)v)), ldb, 1.0, absC, n);
            double tol = 2 * (k + 2 * ((k + 15) / 16) + 4) * Math.Pow(2, -24), worst = 0;
            for (int i = 0; i < m * n; i++) worst = Math.Max(worst, Math.Abs((double)c2[i] - c1[i]) / (absC[i] + 1e-300));
            Assert.That(worst, Is.LessThanOrEqualTo(tol), $"α={alpha}, β={beta}: elementwise");
            Assert.That(TestProblems.RelativeFrobenius(Array.ConvertAll(c2, v => (double)v), Array.ConvertAll(c1, v => (double)v)), Is.LessThanOrEqualTo(1e-5), $"α={alpha}, β={beta}");
        }
    }

    /// <summary>Every vector width of the managed kernel (the narrower ones are the fallbacks of other CPUs) agrees with OpenBLAS on the hot shapes.</summary>
    [TestCase("V256"), TestCase("Vector"), TestCase("Scalar")]
    public void OpenBlas_and_each_managed_vector_width_agree_on_the_hot_shapes(string width)
    {
        var openblas = OpenBlas.TryLoad();
        if (openblas is null) Assert.Ignore($"{OpenBlas.LibraryName} is not installed: nothing to compare");
        var managed = new ManagedGemm(Enum.Parse<SimdWidth>(width));
        foreach (var shape in Shapes.Take(3).Cast<object[]>())
        {
            var (m, n, k, ta, tb) = ((int)shape[0], (int)shape[1], (int)shape[2], (bool)shape[3], (bool)shape[4]);
            var a = Random(m * k, 1); var b = Random(k * n, 2); var c1 = Random(m * n, 3); var c2 = (double[])c1.Clone();
            int lda = ta ? m : k, ldb = tb ? k : n;
            openblas!.Gemm(ta, tb, m, n, k, 0.5, a, lda, b, ldb, 1.0, c1, n);
            managed.Gemm(ta, tb, m, n, k, 0.5, a, lda, b, ldb, 1.0, c2, n);
            Assert.That(TestProblems.RelativeFrobenius(c2, c1), Is.LessThanOrEqualTo(1e-12), $"{m}×{n}×{k}");
        }
    }

    [Test]
    public void Managed_gemm_matches_a_triple_loop_in_float_and_double()
    {
        const int m = 9, n = 11, k = 17;
        var a = Random(m * k, 4); var b = Random(k * n, 5);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) expected[i * n + j] += a[p * m + i] * b[j * k + p];
        var c = new double[m * n];
        ManagedGemm.Instance.Gemm(true, true, m, n, k, 1.0, a, m, b, k, 0.0, c, n);
        Assert.That(TestProblems.RelativeFrobenius(c, expected), Is.LessThan(1e-14));
        var cf = new float[m * n];
        ManagedGemm.Instance.Gemm(true, true, m, n, k, 1f, Array.ConvertAll(a, v => (float)v), m, Array.ConvertAll(b, v => (float)v), k, 0f, cf, n);
        Assert.That(TestProblems.RelativeFrobenius(Array.ConvertAll(cf, v => (double)v), expected), Is.LessThan(1e-5));
    }

    [Test]
    public void Wrong_shapes_throw_instead_of_touching_memory()
    {
        var small = new double[10];
        Assert.Throws<ArgumentException>(() => ManagedGemm.Instance.Gemm(false, false, 4, 4, 4, 1.0, small, 4, small, 4, 0.0, small, 4));
        if (OpenBlas.TryLoad() is { } ob)
            Assert.Throws<ArgumentException>(() => ob.Gemm(false, false, 4, 4, 4, 1.0, small, 4, small, 4, 0.0, small, 4));
    }
}
