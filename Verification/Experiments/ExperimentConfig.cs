using Verify.Verification.Settings;

namespace Verify.Verification.Experiments;

/// <summary>
/// An experiment: fixed run settings, one or more grids whose cells are unioned, seeds per cell,
/// a master seed, what the comparison with theory uses (C, δ, ε, the HEURISTIC tolerance), and the
/// boundary search's settings when it has a `boundary` section.
/// </summary>
internal sealed record ExperimentConfig(
    string Name,
    string Description,
    string? Notes,
    string? Scale,
    ulong MasterSeed,
    int Seeds,
    double C,
    double Delta,
    double Epsilon,
    double BenignTolerance,
    RunSettings Fixed,
    IReadOnlyList<Grid> Grids,
    string SourcePath,
    string AsRunJson,
    BoundarySpec? Boundary = null);
