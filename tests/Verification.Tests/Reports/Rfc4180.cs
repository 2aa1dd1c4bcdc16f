using System.Text;

namespace Verify.Verification.Tests.Reports;

/// <summary>A small, strict RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF records.</summary>
internal static class Rfc4180
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        bool quoted = false, fieldStarted = false;
        while (i < text.Length)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    quoted = false;
                    i++;
                    if (i < text.Length && text[i] != ',' && text[i] != '\r')
                        throw new FormatException($"character after a closing quote at {i}");
                    continue;
                }
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when !fieldStarted:
                    quoted = true;
                    fieldStarted = true;
                    i++;
                    break;
                case '"':
                    throw new FormatException($"quote inside an unquoted field at {i}");
                case ',':
                    row.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    i++;
                    break;
                case '\r':
                    if (i + 1 >= text.Length || text[i + 1] != '\n') throw new FormatException($"CR without LF at {i}");
                    row.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    rows.Add(row);
                    row = [];
                    i += 2;
                    break;
                case '\n':
                    throw new FormatException($"bare LF at {i}");
                default:
                    field.Append(c);
                    fieldStarted = true;
                    i++;
                    break;
            }
        }
        if (quoted) throw new FormatException("unterminated quoted field");
        if (fieldStarted || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }
        return rows;
    }
}
