namespace Verify.Simulation.Data.Mnist;

/// <summary>How preprocessed MNIST pixels are scaled after downsampling (see <see cref="MnistDataSource"/>).</summary>
public enum MnistNormalization
{
    /// <summary>Per pixel: subtract the training mean, divide by the training standard deviation (1 where it is 0).</summary>
    Standardize,
    /// <summary>Per image: divide by its l2 norm.</summary>
    UnitNorm,
}
