using Verify.Simulation.Kernels;

namespace Verify.Simulation.Data;

/// <summary>
/// Inputs (one row per example) with the observed labels Y (noisy) and the clean labels YClean,
/// both in {−1, +1}. Errors are measured against both.
/// </summary>
public sealed record LabeledSet(Dense<double> X, sbyte[] Y, sbyte[] YClean)
{
    public int Count => X.Rows;
    public int Dimension => X.Cols;
    public int FlippedCount => Y.Where((y, i) => y != YClean[i]).Count();
}
