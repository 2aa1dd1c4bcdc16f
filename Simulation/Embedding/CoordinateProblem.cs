using Verify.Simulation.Settings;
using System.Numerics;
using Verify.Simulation.Kernels;

namespace Verify.Simulation.Embedding;

/// <summary>
/// A run expressed in coordinates of an orthonormal basis of dimension R that contains every
/// vector training can touch (docs/design.md, "Exact reductions"). The naive path is the special case
/// where the basis is the standard one (R = d). AmbientDimension is the true d: a random PGD start
/// drawn in R^d has a component outside the basis whose norm is carried as one scalar per example.
/// </summary>
internal sealed record CoordinateProblem<T>(
    EmbeddingMode Mode,
    int R,
    double AmbientDimension,
    Dense<T> TrainX,
    sbyte[] TrainY,
    sbyte[] TrainYClean,
    Dense<T> InitialHalfRows,
    Dense<T> TestX,
    sbyte[] TestY,
    sbyte[] TestYClean,
    string DatasetName,
    double? SignalNorm = null,
    double? NoiseScale = null) where T : unmanaged, IFloatingPointIeee754<T>
{
    public int N => TrainX.Rows;
    public int NTest => TestX.Rows;
    public int Width => 2 * InitialHalfRows.Rows;

    /// <summary>The same problem in another precision (f64 → f32 for the single-precision option).</summary>
    public CoordinateProblem<TOut> Convert<TOut>() where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        static Dense<TOut> C(Dense<T> m) => new(m.Rows, m.Cols, Array.ConvertAll(m.Data, TOut.CreateTruncating));
        return new CoordinateProblem<TOut>(Mode, R, AmbientDimension, C(TrainX), TrainY, TrainYClean,
            C(InitialHalfRows), C(TestX), TestY, TestYClean, DatasetName, SignalNorm, NoiseScale);
    }
}
