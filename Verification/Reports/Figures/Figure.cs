namespace Verify.Verification.Reports.Figures;

/// <summary>
/// One figure of a report: its file name under figures/ (without extension), a title, a caption
/// that carries the provenance labels of everything drawn, and the SVG document itself.
/// </summary>
internal sealed record Figure(string Name, string Title, string Caption, string Svg)
{
    public string FileName => Name + ".svg";

    /// <summary>The path relative to the report (what report.md links to).</summary>
    public string RelativePath => "figures/" + FileName;
}

/// <summary>The figures of a report, and the ones that were planned but could not be drawn (with the reason).</summary>
internal sealed record FigureSet(IReadOnlyList<Figure> Figures, IReadOnlyList<string> Problems);
