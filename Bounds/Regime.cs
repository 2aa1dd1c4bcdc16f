using System.Globalization;

namespace Verify.Bounds;

/// <summary>
/// One setting of the theorem's parameters. Construct through <see cref="Create"/> (or call
/// <see cref="Validate"/>) so that every later formula can trust its inputs.
/// </summary>
/// <param name="N">n, number of training samples (integer ≥ 1).</param>
/// <param name="D">d, input dimension (whole number ≥ 1; a double so that 10^12 is expressible).</param>
/// <param name="Width">m, network width (even integer ≥ 2). No bound depends on it; it is carried for the record.</param>
/// <param name="Mu">M = ||μ||, signal norm (≥ 0).</param>
/// <param name="Alpha">α, l2 attack budget (≥ 0).</param>
/// <param name="Beta">β, label-noise rate, in [0, 1/2).</param>
/// <param name="Delta">δ, failure probability, in (0, 1).</param>
/// <param name="C">The paper's unspecified universal constant, chosen by the user (&gt; 0).</param>
public sealed record Regime(int N, double D, int Width, double Mu, double Alpha, double Beta, double Delta, double C)
{
    /// <summary>The paper's synthetic setting with a documented example point (d = 10^5, M = 10, α = 1) that satisfies every assumption at C = 1.</summary>
    public static Regime Default { get; } = new(100, 100_000, 1000, 10, 1, 0.1, 0.05, 1);

    public static Regime Create(int n, double d, int width, double mu, double alpha, double beta, double delta, double c)
        => new Regime(n, d, width, mu, alpha, beta, delta, c).Validate();

    /// <summary>Checks every field; throws <see cref="InvalidInputException"/> naming the first bad one.</summary>
    public Regime Validate()
    {
        if (N < 1) throw Bad("n", N, "the number of training samples must be an integer ≥ 1");
        if (!double.IsFinite(D) || D < 1 || D != Math.Floor(D) || D > 1e15)
            throw Bad("d", D, "the dimension must be a whole number in [1, 1e15]");
        if (Width < 2 || Width % 2 != 0) throw Bad("m", Width, "the width must be an even integer ≥ 2");
        if (!double.IsFinite(Mu) || Mu < 0) throw Bad("mu", Mu, "the signal norm ||μ|| must be a finite number ≥ 0");
        if (!double.IsFinite(Alpha) || Alpha < 0) throw Bad("alpha", Alpha, "the attack budget α must be a finite number ≥ 0");
        if (!double.IsFinite(Beta) || Beta < 0 || Beta >= 0.5) throw Bad("beta", Beta, "the label-noise rate β must be in [0, 0.5)");
        if (!double.IsFinite(Delta) || Delta <= 0 || Delta >= 1) throw Bad("delta", Delta, "the failure probability δ must be in (0, 1)");
        if (!double.IsFinite(C) || C <= 0) throw Bad("C", C, "the constant C must be a finite number > 0");
        return this;
    }

    private static InvalidInputException Bad(string field, double value, string allowed)
        => new(field, value.ToString("R", CultureInfo.InvariantCulture), allowed);
}
