namespace Verify.Verification.Tests.Experiments;

/// <summary>A grid of 2 × 2 cells of very small runs (a fraction of a second each).</summary>
internal static class TinyExperiment
{
    public const string Json = """
    {
      "name": "tiny",
      "description": "test <b>grid</b>",
      "masterSeed": 5,
      "seeds": 2,
      "fixed": { "n": 10, "nTest": 40, "m": 20, "iterations": 8, "pgdSteps": 2, "evalPgdSteps": 3, "evalPgdRestarts": 1, "beta": 0.1 },
      "grid": { "d": [30, 300], "mu": [1, 4], "alphaOverMu": [0.2] }
    }
    """;
}
