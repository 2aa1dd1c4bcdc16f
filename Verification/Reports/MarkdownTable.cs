using System.Text;

namespace Verify.Verification.Reports;

/// <summary>A GitHub-style pipe table. Cells are written as given: escape user text with <see cref="MarkdownText.Cell"/> first.</summary>
internal sealed class MarkdownTable(params (string Header, bool Right)[] columns)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public MarkdownTable Row(params string[] cells)
    {
        if (cells.Length != columns.Length)
            throw new ArgumentException($"row has {cells.Length} cells, table has {columns.Length} columns");
        _rows.Add(cells);
        return this;
    }

    public void WriteTo(StringBuilder sb)
    {
        sb.Append("| ").AppendJoin(" | ", columns.Select(c => c.Header)).Append(" |\n");
        sb.Append('|').AppendJoin("|", columns.Select(c => c.Right ? "---:" : "---")).Append("|\n");
        foreach (var r in _rows)
            sb.Append("| ").AppendJoin(" | ", r.Select(c => c.Length == 0 ? " " : c.Replace("\n", " "))).Append(" |\n");
        sb.Append('\n');
    }
}
