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

    [Test]
    public void Backend_can_be_forced_to_managed()
    {
        Assert.That(Backend.Choose("managed").Name, Is.EqualTo("managed"));
        Assert.That(Backend.Describe(ManagedGemm.Instance), Is.EqualTo("managed"));
    }
}
