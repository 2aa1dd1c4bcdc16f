using Verify.Simulation.Kernels;

namespace Verify.Simulation.Runs;

/// <summary>
/// The paper does not give its step size or initialization scale (docs/theory.md; the project brief: "choose defaults that
/// make every run interpolate, and document them"). The rules, and why:
/// <list type="bullet">
/// <item>η = κ / λ_max(X·Xᵀ/n). For leaky ReLU the Hessian of the loss in W is bounded by
/// ℓ''·λ_max(X·Xᵀ/n) ≤ λ_max/4, so κ &lt; 8 keeps GD stable whatever d, M or the data are;
/// λ_max ≈ d/n + M² for the Gaussian mixture, so η adapts to both the memorization and the signal scale.</item>
/// <item>ω = 10⁻³/√d: initial rows of norm ≈ 10⁻³, small against the first update (the theory's
/// "moderate initialization"); f ≡ 0 at the start anyway by symmetry.</item>
/// </list>
/// </summary>
public static class DefaultRules
{
    public const double InitScaleNumerator = 1e-3;

    public static double InitScale(double dimension) => InitScaleNumerator / Math.Sqrt(dimension);

    public static double LearningRate(Dense<double> trainX, double factor)
        => factor / LargestGramEigenvalue(trainX);

    /// <summary>λ_max(X·Xᵀ/n) by power iteration on the n×n Gram matrix (deterministic start).</summary>
    public static double LargestGramEigenvalue(Dense<double> x)
    {
        int n = x.Rows, d = x.Cols;
        var g = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                var xi = x.Row(i); var xj = x.Row(j);
                double s = 0;
                for (int k = 0; k < d; k++) s += xi[k] * xj[k];
                g[i * n + j] = g[j * n + i] = s / n;
            }
        var v = new double[n];
        var w = new double[n];
        Array.Fill(v, 1 / Math.Sqrt(n));
        double lambda = 0;
        for (int it = 0; it < 1000; it++)
        {
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < n; j++) s += g[i * n + j] * v[j];
                w[i] = s;
            }
            double norm = Math.Sqrt(w.Sum(z => z * z));
            for (int i = 0; i < n; i++) v[i] = w[i] / norm;
            if (Math.Abs(norm - lambda) <= 1e-12 * norm) { lambda = norm; break; }
            lambda = norm;
        }
        return lambda;
    }
}
