namespace Verify.Simulation.Attack;

/// <summary>
/// The adversary of a run: perturbations in the l2 ball of radius <see cref="Alpha"/>, searched for by
/// <see cref="Search"/>, in the ambient space R^d with d = <see cref="AmbientDimension"/>. A run may work in
/// a basis of fewer coordinates (docs/design.md, "Exact reductions"); a random start is still drawn in R^d,
/// its part outside the basis carried as one norm per example.
/// </summary>
public sealed record ThreatModel(double Alpha, PgdSettings Search, double AmbientDimension)
{
    /// <summary>Whether the attack moves the inputs at all (α &gt; 0 and at least one step).</summary>
    public bool Perturbs => Search.Perturbs(Alpha);
}
