namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// How preprocessed MNIST pixels are scaled after downsampling. UnitNorm comes first so that
/// default(MnistNormalization) is <see cref="MnistDataSource"/>'s default too (the reason is there).
/// </summary>
public enum MnistNormalization
{
    /// <summary>Per image: divide by its l2 norm.</summary>
    UnitNorm,
    /// <summary>
    /// Per pixel, with the statistics of the whole training pool (never a test digit), σ floored at
    /// <see cref="PixelStandardizer.PoolStdFloor"/>: what "standardizing the inputs" most plausibly means.
    /// </summary>
    StandardizePool,
    /// <summary>Per pixel, with the statistics of the run's n training images only (1 where a pixel is constant over them).</summary>
    StandardizeRun,
}

/// <summary>Which digits a run may train on and which it is tested on.</summary>
public enum MnistSplit
{
    /// <summary>
    /// A split fixed for every run: with both pairs, the standard one (train pair to draw from, t10k to test on);
    /// with one pair, a fixed half of its 0/1 digits each (drawn once with a constant seed). Every run is tested on
    /// the same digits, and the training pool never contains a test digit.
    /// </summary>
    Fixed,
    /// <summary>Per run: n digits drawn from all 0/1 digits of the folder, every other digit tested on.</summary>
    PerRun,
}
