using System.Numerics;

namespace Verify.Simulation.Attack;

/// <summary>
/// What an attack found, per example: the worst perturbation (<see cref="Rows"/> rows of the run's
/// dimension), its margin y·f(x + δ), and, when the call asked for them, the margins at δ = 0. The caller
/// owns it and reuses it across calls, so the training loop allocates nothing; only the first
/// <see cref="Rows"/> entries are meaningful.
/// </summary>
internal sealed class AttackResult<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public AttackResult(int capacity, int dimension)
    {
        Dimension = dimension;
        Perturbations = new T[capacity * dimension];
        Margins = new T[capacity];
        CleanMargins = new T[capacity];
    }

    public int Dimension { get; }
    /// <summary>How many examples the last call attacked.</summary>
    public int Rows { get; internal set; }
    /// <summary>Row-major, <see cref="Rows"/> × <see cref="Dimension"/>: the worst δ_i found.</summary>
    public T[] Perturbations { get; }
    /// <summary>y_i·f(x_i + δ_i) at the worst δ_i (≤ 0: the attack flipped the prediction).</summary>
    public T[] Margins { get; }
    /// <summary>y_i·f(x_i); filled only by a call that asked for clean margins.</summary>
    public T[] CleanMargins { get; }
    /// <summary>What the last call did.</summary>
    public AttackStats Stats { get; internal set; }

    public int Capacity => Margins.Length;
}
