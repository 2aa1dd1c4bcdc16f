namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// Which digits of the pool (<see cref="ZeroOneDigits"/> indices) a realized MNIST dataset uses; lets
/// tests and reports check that training and test sets are disjoint and cover the pool.
/// </summary>
internal interface IPoolIndices
{
    IReadOnlyList<int> TrainingIndices { get; }
    IReadOnlyList<int> TestIndices { get; }
}
