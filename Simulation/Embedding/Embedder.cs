using Verify.Simulation.Settings;
using Verify.Simulation.Data;
using Verify.Simulation.Kernels;

namespace Verify.Simulation.Embedding;

/// <summary>
/// Turns a realized dataset and the distinct initial rows into a <see cref="CoordinateProblem{T}"/>.
/// Naive: the standard basis of R^d. Subspace: an orthonormal basis of span(initial rows, training
/// inputs) (dimension k = m/2 + n), every weight row and every PGD perturbation stays inside it, so
/// training there is exact; test points enter only through their projection, computed chunk by chunk.
/// </summary>
internal static class Embedder
{
    public const int TestChunkRows = 64;

    public static CoordinateProblem<double> Naive(IDataset data, Dense<double> initialHalfRows)
    {
        var (tx, ty, tyc) = Collect(data, x => x);
        var train = data.Training;
        return new CoordinateProblem<double>(EmbeddingMode.Naive, data.Dimension, data.Dimension,
            train.X, train.Y, train.YClean, initialHalfRows, tx, ty, tyc, data.Name, ClassMeans.TryHalfDistance(train.X, train.YClean),
            ClassMeans.NoiseScale(train.X, train.YClean, data.Dimension));
    }

    public static CoordinateProblem<double> Subspace(IDataset data, Dense<double> initialHalfRows, IGemm gemm)
    {
        var train = data.Training;
        int half = initialHalfRows.Rows, n = train.Count, d = data.Dimension, k = half + n;
        if (d <= k)
            throw InvalidInputException.MustBe(Keys.Mode.Name, Keys.Mode.Format(EmbeddingMode.Subspace), $"used only when d > n + m/2 (here d = {d}, n + m/2 = {k}); use naive");

        var a = new Dense<double>(k, d);
        initialHalfRows.Data.AsSpan(0, half * d).CopyTo(a.Data);
        train.X.Data.AsSpan(0, n * d).CopyTo(a.Data.AsSpan(half * d));
        var basis = OrthonormalBasis.Of(a, gemm);

        var v0 = new Dense<double>(half, k);
        var z = new Dense<double>(n, k);
        basis.L.Data.AsSpan(0, half * k).CopyTo(v0.Data);
        basis.L.Data.AsSpan(half * k, n * k).CopyTo(z.Data);

        var (tx, ty, tyc) = Collect(data, chunk =>
        {
            var coords = new Dense<double>(chunk.Rows, k);
            gemm.Gemm(false, true, chunk.Rows, k, d, 1.0, chunk.Data, d, basis.Q.Data, d, 0.0, coords.Data, k);
            return coords;
        });
        return new CoordinateProblem<double>(EmbeddingMode.Subspace, k, d, z, train.Y, train.YClean, v0, tx, ty, tyc, data.Name,
            ClassMeans.TryHalfDistance(train.X, train.YClean), ClassMeans.NoiseScale(train.X, train.YClean, d));
    }

    private static (Dense<double> X, sbyte[] Y, sbyte[] YClean) Collect(IDataset data, Func<Dense<double>, Dense<double>> map)
    {
        Dense<double>? all = null;
        var y = new sbyte[data.TestCount];
        var yc = new sbyte[data.TestCount];
        int row = 0;
        foreach (var chunk in data.TestChunks(TestChunkRows))
        {
            var coords = map(chunk.X);
            all ??= new Dense<double>(data.TestCount, coords.Cols);
            coords.Data.AsSpan(0, coords.Rows * coords.Cols).CopyTo(all.Data.AsSpan(row * coords.Cols));
            chunk.Y.CopyTo(y, row);
            chunk.YClean.CopyTo(yc, row);
            row += chunk.Count;
        }
        if (row != data.TestCount) throw new InvalidOperationException($"test set yielded {row} rows, expected {data.TestCount}");
        return (all!, y, yc);
    }
}
