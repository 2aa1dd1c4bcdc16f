namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// How preprocessed MNIST pixels are scaled after downsampling. UnitNorm comes first so that
/// default(MnistNormalization) is <see cref="MnistDataSource"/>'s default too (the reason is there).
/// </summary>
public enum MnistNormalization
{
    /// <summary>Per image: divide by its l2 norm.</summary>
    UnitNorm,
    /// <summary>Per pixel: subtract the training mean, divide by the training standard deviation (1 where it is constant).</summary>
    Standardize,
}
