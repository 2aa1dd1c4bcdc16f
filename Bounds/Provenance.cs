namespace Verify.Bounds;

/// <summary>How sure we are of a formula (docs/theory.md, "Provenance labels"). Every value the tool prints carries one.</summary>
public enum Provenance
{
    /// <summary>Stated by the paper's summary; form and variables, never the constant C.</summary>
    Stated,
    /// <summary>The precursor paper's form or a standard derivation: plausible, not confirmed.</summary>
    Reconstructed,
    /// <summary>A prediction without unknown constants, not a bound.</summary>
    Heuristic,
    /// <summary>Mathematically exact for the Gaussian model.</summary>
    Exact,
}

public static class ProvenanceLabels
{
    public static string Label(this Provenance p) => p switch
    {
        Provenance.Stated => "STATED",
        Provenance.Reconstructed => "RECONSTRUCTED",
        Provenance.Heuristic => "HEURISTIC",
        Provenance.Exact => "EXACT",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };
}
