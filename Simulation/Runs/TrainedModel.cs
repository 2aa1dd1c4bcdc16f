using System.Numerics;
using Verify.Simulation.Kernels;
using Verify.Simulation.Model;
using Verify.Simulation.Settings;

namespace Verify.Simulation.Runs;

/// <summary>
/// The trained network of a finished run with the points it was trained and tested on, in the coordinates the run
/// used: R^d in naive mode, the coordinates of the orthonormal basis of span(initial rows, training inputs) in
/// subspace mode (R = m/2 + n), and (e₁, q₁ … q_k) in rotation-invariant mode (R = m/2 + n + 1). What an export needs
/// to rebuild f(x) = Σ_s a_s·φ(⟨w_s, x⟩)/√m and recompute the run's errors, and nothing else.
/// <para>
/// In the reduced modes this is the exact restriction of the network of R^d to the span: every row w_s lies in it
/// (docs/design.md, "Exact reductions"), so a component of an input outside the span moves no pre-activation. The
/// clean outputs on these coordinates are the outputs in R^d, and the worst perturbation of norm α can be taken in the
/// span, so robust evaluation in these coordinates is robust evaluation in R^d.
/// </para>
/// Obtained from <see cref="Simulator.Run(RunSpec, out TrainedModel?, IProgress{RunProgress}?, CancellationToken, IGemm?)"/>;
/// <see cref="TrainedModel{T}"/> holds the arrays in the run's precision (double for f64, float for f32).
/// </summary>
/// <param name="Mode">The embedding that ran (never <see cref="EmbeddingMode.Auto"/>).</param>
/// <param name="AmbientDimension">The true d (up to 10¹⁵ in rotation-invariant mode).</param>
/// <param name="Activation">φ with its leaky slope γ and smoothness H.</param>
/// <param name="TrainY">Noisy training labels in {−1, +1}, one per row of the training inputs.</param>
/// <param name="TrainYClean">Clean training labels.</param>
/// <param name="TestY">Noisy test labels, one per row of the test inputs.</param>
/// <param name="TestYClean">Clean test labels.</param>
public abstract record TrainedModel(EmbeddingMode Mode, double AmbientDimension, Activation Activation,
    sbyte[] TrainY, sbyte[] TrainYClean, sbyte[] TestY, sbyte[] TestYClean)
{
    /// <summary>m, the number of hidden units (rows of the first layer).</summary>
    public abstract int Width { get; }

    /// <summary>R, the dimension of the coordinates (columns of the first layer and of the inputs).</summary>
    public abstract int BasisDimension { get; }

    /// <summary>"f64" or "f32", as the run's result records it.</summary>
    public abstract string Precision { get; }

    /// <summary>a_s, the fixed sign of hidden unit s in the second layer: +1 for the first m/2 rows, −1 for the rest.</summary>
    public int OutputSign(int s) => s < Width / 2 ? 1 : -1;
}

/// <summary>A <see cref="TrainedModel"/> with its arrays in the run's precision <typeparamref name="T"/>.</summary>
/// <param name="Weights">The first layer W, m × R, row s is w_s.</param>
/// <param name="TrainX">The training inputs, n × R.</param>
/// <param name="TestX">The test inputs, n_test × R.</param>
public sealed record TrainedModel<T>(EmbeddingMode Mode, double AmbientDimension, Activation Activation,
    Dense<T> Weights, Dense<T> TrainX, sbyte[] TrainY, sbyte[] TrainYClean, Dense<T> TestX, sbyte[] TestY, sbyte[] TestYClean)
    : TrainedModel(Mode, AmbientDimension, Activation, TrainY, TrainYClean, TestY, TestYClean)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override int Width => Weights.Rows;
    public override int BasisDimension => Weights.Cols;
    public override string Precision => typeof(T) == typeof(double) ? "f64" : "f32";

    /// <summary>1/√m in <typeparamref name="T"/>, computed as the run computed it: the second layer's weight s is a_s times this.</summary>
    public T OutputScale => T.One / T.Sqrt(T.CreateTruncating(Width));
}
