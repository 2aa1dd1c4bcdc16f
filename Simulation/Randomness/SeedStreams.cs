namespace Verify.Simulation.Randomness;

/// <summary>
/// The independent random streams of one run, each derived from the run's seed. Keeping them apart
/// means, for example, that changing the attack never changes the data.
/// </summary>
internal enum RandomStream : ulong
{
    TrainingData = 1,
    Initialization = 2,
    TestData = 3,
    TrainingAttack = 4,
    EvaluationAttack = 5,
    Subsample = 6,
}

internal static class SeedStreams
{
    public static Rng For(ulong runSeed, RandomStream stream) => new(Rng.Derive(runSeed, (ulong)stream));
}
