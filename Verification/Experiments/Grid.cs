using Verify.Simulation.Settings;

namespace Verify.Verification.Experiments;

/// <summary>One axis of a grid: a setting and its values, each already a value of the setting's type.</summary>
internal sealed record GridAxis(Setting Setting, IReadOnlyList<object> Values);

/// <summary>
/// A grid of an experiment: typed axes, at most one per setting, whose every combination is a cell. An empty grid is
/// one cell (the fixed settings alone).
/// </summary>
internal sealed class Grid
{
    private readonly IReadOnlyList<GridAxis> _axes;

    public Grid(IEnumerable<GridAxis> axes)
    {
        // Ordinal order of the names is the order cells are expanded in.
        _axes = axes.OrderBy(a => a.Setting.Name, StringComparer.Ordinal).ToList();
        if (_axes.Select(a => a.Setting).Distinct().Count() != _axes.Count)
            throw new ArgumentException("a grid has at most one axis per setting", nameof(axes));
    }

    /// <summary>The axes in ordinal order of their names.</summary>
    public IReadOnlyList<GridAxis> Axes => _axes;

    /// <summary>The values of <paramref name="setting"/>'s axis; an error when the grid has none.</summary>
    public IReadOnlyList<object> this[Setting setting]
        => TryGetValue(setting, out var values) ? values : throw new KeyNotFoundException($"the grid has no axis '{setting.Name}'");

    public bool Has(Setting setting) => _axes.Any(a => a.Setting == setting);

    public bool TryGetValue(Setting setting, out IReadOnlyList<object> values)
    {
        values = _axes.FirstOrDefault(a => a.Setting == setting)?.Values ?? [];
        return Has(setting);
    }

    /// <summary>This grid with <paramref name="axis"/> in place of the axis of its setting, or added.</summary>
    public Grid With(GridAxis axis) => new(_axes.Where(a => a.Setting != axis.Setting).Append(axis));

    /// <summary>This grid without the axes of <paramref name="settings"/>.</summary>
    public Grid Without(params Setting?[] settings) => new(_axes.Where(a => !settings.Contains(a.Setting)));

    /// <summary>The grid of one cell: every axis with a single value.</summary>
    public static Grid Of(IReadOnlyDictionary<Setting, object> cell) => new(cell.Select(kv => new GridAxis(kv.Key, [kv.Value])));
}
