using MathNet.Numerics.LinearAlgebra;
using Verify.Simulation.Kernels;

namespace Verify.Simulation.Embedding;

/// <summary>
/// An orthonormal basis Q (k×d, orthonormal rows) of the row span of A (k×d, k ≤ d) together with
/// the lower-triangular coordinates L (k×k) such that A = L·Q.
/// Computed by Cholesky-QR twice (three GEMMs of size k×k×d, fast through BLAS and orthogonal to
/// rounding when A is well conditioned, as random vectors are); Householder QR when the Gram matrix
/// is not numerically positive definite (dependent rows, such as duplicated images).
/// </summary>
internal sealed record OrthonormalBasis(Dense<double> Q, Dense<double> L, string Method)
{
    public static OrthonormalBasis Of(Dense<double> a, IGemm gemm)
    {
        if (a.Rows > a.Cols) throw new ArgumentException($"need k ≤ d for a basis of the rows, got {a.Rows}×{a.Cols}");
        // Rows of very different norms (initial rows ≈ 10⁻³, data ≈ √d) would make the Gram matrix
        // look singular: factor the row-normalized matrix D⁻¹·A = L'·Q, then L = D·L'.
        var norms = new double[a.Rows];
        var scaled = new Dense<double>(a.Rows, a.Cols);
        for (int i = 0; i < a.Rows; i++)
        {
            var row = a.Row(i);
            double norm = 0;
            foreach (double v in row) norm += v * v;
            norm = Math.Sqrt(norm);
            norms[i] = norm > 0 ? norm : 1;
            var target = scaled.Row(i);
            for (int j = 0; j < row.Length; j++) target[j] = row[j] / norms[i];
        }
        var first = CholeskyQrStep(scaled, gemm);
        if (first is not null)
        {
            var second = CholeskyQrStep(first.Value.Q, gemm);
            if (second is not null)
            {
                var l = MultiplyLower(first.Value.L, second.Value.L);
                for (int i = 0; i < l.Rows; i++)
                {
                    var row = l.Row(i);
                    for (int j = 0; j <= i; j++) row[j] *= norms[i];
                }
                return new OrthonormalBasis(second.Value.Q, l, "cholesky-qr2");
            }
        }
        return Householder(a);
    }

    private static (Dense<double> Q, Dense<double> L)? CholeskyQrStep(Dense<double> a, IGemm gemm)
    {
        int k = a.Rows, d = a.Cols;
        var g = new Dense<double>(k, k);
        gemm.Gemm(false, true, k, k, d, 1.0, a.Data, d, a.Data, d, 0.0, g.Data, k);
        var l = Cholesky(g);
        if (l is null) return null;
        var linv = InvertLower(l);
        var q = new Dense<double>(k, d);
        gemm.Gemm(false, false, k, d, k, 1.0, linv.Data, k, a.Data, d, 0.0, q.Data, d);
        return (q, l);
    }

    /// <summary>Lower Cholesky factor, or null when a pivot is not safely positive (relative to the diagonal).</summary>
    internal static Dense<double>? Cholesky(Dense<double> g)
    {
        int k = g.Rows;
        var l = new Dense<double>(k, k);
        double maxDiag = 0;
        for (int i = 0; i < k; i++) maxDiag = Math.Max(maxDiag, g[i, i]);
        for (int j = 0; j < k; j++)
        {
            var lj = l.Row(j);
            double s = g[j, j];
            for (int p = 0; p < j; p++) s -= lj[p] * lj[p];
            if (!(s > 1e-10 * maxDiag)) return null;
            double ljj = Math.Sqrt(s);
            lj[j] = ljj;
            for (int i = j + 1; i < k; i++)
            {
                var li = l.Row(i);
                double t = g[i, j];
                for (int p = 0; p < j; p++) t -= li[p] * lj[p];
                li[j] = t / ljj;
            }
        }
        return l;
    }

    internal static Dense<double> InvertLower(Dense<double> l)
    {
        int k = l.Rows;
        var inv = new Dense<double>(k, k);
        for (int j = 0; j < k; j++)
        {
            inv[j, j] = 1 / l[j, j];
            for (int i = j + 1; i < k; i++)
            {
                double s = 0;
                for (int p = j; p < i; p++) s += l[i, p] * inv[p, j];
                inv[i, j] = -s / l[i, i];
            }
        }
        return inv;
    }

    private static Dense<double> MultiplyLower(Dense<double> a, Dense<double> b)
    {
        int k = a.Rows;
        var c = new Dense<double>(k, k);
        for (int i = 0; i < k; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int p = j; p <= i; p++) s += a[i, p] * b[p, j];
                c[i, j] = s;
            }
        return c;
    }

    private static OrthonormalBasis Householder(Dense<double> a)
    {
        int k = a.Rows, d = a.Cols;
        var at = Matrix<double>.Build.Dense(d, k, (i, j) => a[j, i]);
        var qr = at.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var q = new Dense<double>(k, d);
        var l = new Dense<double>(k, k);
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < d; j++) q[i, j] = qr.Q[j, i];
            for (int j = 0; j <= i; j++) l[i, j] = qr.R[j, i];
        }
        return new OrthonormalBasis(q, l, "householder");
    }
}
