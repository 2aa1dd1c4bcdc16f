namespace Verify.Simulation.Kernels;

/// <summary>Which dense kernel to use: the measured faster one (<see cref="Auto"/>), or one forced.</summary>
public enum BlasChoice { Auto, Managed, OpenBlas }

public static class BlasChoices
{
    public const string Allowed = "auto, managed or openblas";

    /// <summary>"auto" | "managed" | "openblas" (any case); <paramref name="field"/> names where the text came from in the error.</summary>
    public static BlasChoice Parse(string? text, string field) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => BlasChoice.Auto,
        "managed" => BlasChoice.Managed,
        "openblas" => BlasChoice.OpenBlas,
        _ => throw InvalidInputException.MustBe(field, $"'{text}'", Allowed),
    };

    public static string Name(this BlasChoice c) => c switch
    {
        BlasChoice.Managed => "managed",
        BlasChoice.OpenBlas => "openblas",
        _ => "auto",
    };
}
