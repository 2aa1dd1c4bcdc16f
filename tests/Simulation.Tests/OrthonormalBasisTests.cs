using Verify.Simulation.Embedding;
using Verify.Simulation.Kernels;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Tests;

public class OrthonormalBasisTests
{
    [TestCase(1e-3, "cholesky-qr2")]
    [TestCase(1.0, "cholesky-qr2")]
    public void Basis_is_orthonormal_and_reproduces_the_rows(double smallRowScale, string method)
    {
        // 30 rows of norm ≈ smallRowScale (initial rows) over 20 rows of norm ≈ √d (data) in d = 400.
        const int small = 30, big = 20, d = 400;
        var rng = new Rng(3);
        var a = new Dense<double>(small + big, d);
        for (int i = 0; i < a.Rows; i++)
        {
            double scale = i < small ? smallRowScale / Math.Sqrt(d) : 1;
            var row = a.Row(i);
            for (int j = 0; j < d; j++) row[j] = scale * rng.NextNormal();
        }
        var b = OrthonormalBasis.Of(a, TestProblems.Gemm);
        Assert.That(b.Method, Is.EqualTo(method));
        int k = a.Rows;
        double worst = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                double dot = 0;
                for (int p = 0; p < d; p++) dot += b.Q[i, p] * b.Q[j, p];
                worst = Math.Max(worst, Math.Abs(dot - (i == j ? 1 : 0)));
            }
        Assert.That(worst, Is.LessThan(1e-12), "QQᵀ = I");
        for (int i = 0; i < k; i++)
        {
            double err = 0, norm = 0;
            for (int p = 0; p < d; p++)
            {
                double v = 0;
                for (int j = 0; j <= i; j++) v += b.L[i, j] * b.Q[j, p];
                err += (v - a[i, p]) * (v - a[i, p]); norm += a[i, p] * a[i, p];
            }
            Assert.That(Math.Sqrt(err / norm), Is.LessThan(1e-12), $"row {i} = L·Q");
        }
    }

    [Test]
    public void Dependent_rows_fall_back_to_householder_and_still_span_them()
    {
        var a = new Dense<double>(3, 10);
        var rng = new Rng(4);
        rng.FillNormal(a.Row(0)); rng.FillNormal(a.Row(1));
        for (int j = 0; j < 10; j++) a[2, j] = a[0, j] + a[1, j]; // row 2 depends on rows 0 and 1
        var b = OrthonormalBasis.Of(a, TestProblems.Gemm);
        Assert.That(b.Method, Is.EqualTo("householder"));
        for (int j = 0; j < 10; j++)
        {
            double v = b.L[2, 0] * b.Q[0, j] + b.L[2, 1] * b.Q[1, j] + b.L[2, 2] * b.Q[2, j];
            Assert.That(v, Is.EqualTo(a[2, j]).Within(1e-12));
        }
    }
}
