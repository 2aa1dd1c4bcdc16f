using Verify.Simulation.Settings;
using System.Numerics;
using Verify.Simulation.Kernels;

namespace Verify.Simulation.Model;

/// <summary>
/// f(x; W) = (1/√m)·Σ_s a_s·φ(⟨w_s, x⟩) with a = (+1 … +1, −1 … −1) fixed. The rows W are stored
/// in the coordinates of the run's basis (m × R). Symmetric initialization duplicates the m/2
/// distinct rows, so f ≡ 0 at the start.
/// </summary>
internal sealed class TwoLayerNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public TwoLayerNetwork(Dense<T> weights, Activation activation)
    {
        if (weights.Rows < 2 || weights.Rows % 2 != 0) throw InvalidInputException.MustBe(Keys.Width.Name, weights.Rows.ToString(), Keys.Width.Allowed);
        Weights = weights;
        Activation = activation;
        Scale = T.One / T.Sqrt(T.CreateTruncating(weights.Rows));
    }

    /// <summary>W(0) = [U; U] for the m/2 distinct rows U.</summary>
    public static TwoLayerNetwork<T> Symmetric(Dense<T> halfRows, Activation activation)
    {
        var w = new Dense<T>(2 * halfRows.Rows, halfRows.Cols);
        halfRows.Data.AsSpan(0, halfRows.Rows * halfRows.Cols).CopyTo(w.Data);
        halfRows.Data.AsSpan(0, halfRows.Rows * halfRows.Cols).CopyTo(w.Data.AsSpan(halfRows.Rows * halfRows.Cols));
        return new TwoLayerNetwork<T>(w, activation);
    }

    public Dense<T> Weights { get; }
    public Activation Activation { get; }
    public int Width => Weights.Rows;
    public int Dim => Weights.Cols;
    /// <summary>1/√m.</summary>
    public T Scale { get; }

    /// <summary>a_s: +1 for the first half of the rows, −1 for the second.</summary>
    public int OutputSign(int s) => s < Width / 2 ? 1 : -1;
}
