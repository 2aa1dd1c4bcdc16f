namespace Verify.Simulation.Kernels;

/// <summary>Which dense kernel to use: the measured faster one (<see cref="Auto"/>), or one forced.</summary>
public enum BlasChoice { Auto, Managed, OpenBlas }

public static class BlasChoices
{
    public const string Allowed = "auto, managed or openblas";

    /// <summary>
    /// "auto" | "managed" | "openblas" (any case, surrounding blanks ignored); null, for an option not given or a
    /// variable not set, is auto. An empty or blank value is an error: `--blas ""` (an unset shell variable, say)
    /// must not quietly mean auto. <paramref name="field"/> names where the text came from in the error.
    /// </summary>
    public static BlasChoice Parse(string? text, string field) => text?.Trim().ToLowerInvariant() switch
    {
        null or "auto" => BlasChoice.Auto,
        "managed" => BlasChoice.Managed,
        "openblas" => BlasChoice.OpenBlas,
        _ => throw InvalidInputException.MustBe(field, $"'{Files.InputFile.Printable(text)}'", field.StartsWith('-') ? Allowed : Allowed + ", or unset"),
    };

    public static string Name(this BlasChoice c) => c switch
    {
        BlasChoice.Managed => "managed",
        BlasChoice.OpenBlas => "openblas",
        _ => "auto",
    };
}
