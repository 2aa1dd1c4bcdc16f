namespace Verify.Simulation.Attack;

/// <summary>
/// The exact l2 attack on a linear model f(x) = ⟨v, x⟩: δ* = −α·y·v/||v||, so the robust margin is
/// y·⟨v, x⟩ − α·||v||. The oracle that PGD must match on the identity-activation network.
/// </summary>
internal static class LinearAttack
{
    public static double[] Perturbation(ReadOnlySpan<double> v, int y, double alpha)
    {
        double norm = Math.Sqrt(Dot(v, v));
        var delta = new double[v.Length];
        if (norm == 0) return delta;
        for (int j = 0; j < v.Length; j++) delta[j] = -alpha * y * v[j] / norm;
        return delta;
    }

    public static double RobustMargin(ReadOnlySpan<double> v, ReadOnlySpan<double> x, int y, double alpha)
        => y * Dot(v, x) - alpha * Math.Sqrt(Dot(v, v));

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
