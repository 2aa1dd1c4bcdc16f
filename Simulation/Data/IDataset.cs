namespace Verify.Simulation.Data;

/// <summary>
/// One realized dataset of a run: a materialized training set and a test set that can be streamed
/// in chunks (a Gaussian test set at d = 10⁵ is never held whole). Implemented by the Gaussian
/// mixture and by MNIST.
/// </summary>
public interface IDataset
{
    /// <summary>Short description for results ("gaussian-mixture", "mnist 0/1 14×14").</summary>
    string Name { get; }
    int Dimension { get; }
    LabeledSet Training { get; }
    int TestCount { get; }

    /// <summary>The test set in chunks of at most <paramref name="maxRows"/> rows; the same points every call.</summary>
    IEnumerable<LabeledSet> TestChunks(int maxRows);
}

/// <summary>A recipe for datasets: realizes one for each run seed.</summary>
public interface IDataSource
{
    string Name { get; }
    /// <summary>d, which may exceed what an array can hold (only the rotation-invariant mode, which never materializes a point, then runs).</summary>
    long Dimension { get; }
    /// <summary>n, the number of training examples every realization has.</summary>
    int TrainingCount { get; }
    IDataset Realize(ulong runSeed);
}
