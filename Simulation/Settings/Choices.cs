namespace Verify.Simulation.Settings;

// The values of the choice settings (Keys): the settings declare them, the simulator acts on them.

/// <summary>Where a run's data come from: the paper's Gaussian mixture or MNIST digits 0/1.</summary>
public enum DataKind { Gaussian, Mnist }

/// <summary>The floating-point precision a run computes in.</summary>
public enum Precision { Double, Single }

/// <summary>Where an attack's first run starts: at the point itself, or uniformly in the ball.</summary>
public enum PgdStart { Zero, Random }

/// <summary>The exact reduction a run computes in (docs/design.md): picked by the run (auto), or full d, a basis of the span, or the rotation-invariant sampler.</summary>
public enum EmbeddingMode { Auto, Naive, Subspace, RotationInvariant }

/// <summary>The activation φ: leaky ReLU, its H-smooth version, or the identity (a linear model; tests only).</summary>
public enum ActivationKind { LeakyRelu, SmoothedLeakyRelu, Identity }

/// <summary>
/// How preprocessed MNIST pixels are scaled after downsampling. UnitNorm comes first so that
/// default(MnistNormalization) is <see cref="Data.Mnist.MnistDataSource"/>'s default too (the reason is there).
/// </summary>
public enum MnistNormalization
{
    /// <summary>Per image: divide by its l2 norm.</summary>
    UnitNorm,
    /// <summary>
    /// Per pixel, with the statistics of the whole training pool (never a test digit), σ floored at
    /// <see cref="Data.Mnist.PixelStandardizer.PoolStdFloor"/>: what "standardizing the inputs" most plausibly means.
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

/// <summary>
/// Which labels of the Gaussian mixture are flipped (docs/theory.md, "Noise families and label-noise rules"). Each rule
/// flips a β-fraction of the population in law and changes only y, never x.
/// </summary>
public enum LabelNoise
{
    /// <summary>Each label independently with probability β (the paper's model, and every run before this setting).</summary>
    Random,
    /// <summary>Where the clean margin y_c·ξ_1 is in its lowest β-quantile (the hardest points).</summary>
    Margin,
    /// <summary>Where the clean margin y_c·ξ_1 is in its highest β-quantile (the easiest points).</summary>
    Confident,
    /// <summary>Where y_c·ξ_2 is in its lowest β-quantile: the clean label disagrees with a strong spurious direction e_2 ⊥ μ.</summary>
    Spurious,
}

/// <summary>The law of the noise ξ of the Gaussian mixture (Simulation/Data/Noise): each strongly log-concave.</summary>
public enum NoiseFamily
{
    /// <summary>N(0, σ²·I_d), the paper's.</summary>
    Gaussian,
    /// <summary>i.i.d. coordinates of density ∝ exp(−z²/(2s²) − |z|/s), scaled to variance σ².</summary>
    GaussLaplace,
    /// <summary>N(0, σ²·diag(1, λ_2, …, λ_d)): variance σ² along μ, a geometric spectrum of condition number κ on the rest.</summary>
    Anisotropic,
}
