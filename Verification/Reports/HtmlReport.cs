using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.GenericAttributes;
using Markdig.Extensions.Mathematics;
using Markdig.Extensions.MediaLinks;
using Verify.Verification.Reports.Figures;

namespace Verify.Verification.Reports;

/// <summary>
/// report.html: report.md converted by Markdig, with a small inline stylesheet and every figure
/// inlined as &lt;svg&gt;. One self-contained file: no external scripts, stylesheets, fonts or images,
/// and no JavaScript at all.
/// </summary>
internal static partial class HtmlReport
{
    /// <summary>
    /// Markdig's advanced extensions (pipe and grid tables among them) without the three that would
    /// read plain text as something else: generic attributes ({…} would become HTML attributes),
    /// mathematics ($…$) and media links (would embed players). Raw HTML in the Markdown is shown as
    /// text, never passed through.
    /// </summary>
    public static MarkdownPipeline Pipeline { get; } = BuildPipeline();

    private static MarkdownPipeline BuildPipeline()
    {
        var b = new MarkdownPipelineBuilder().UseAdvancedExtensions();
        b.Extensions.TryRemove<GenericAttributesExtension>();
        b.Extensions.TryRemove<MathExtension>();
        b.Extensions.TryRemove<MediaLinkExtension>();
        return b.DisableHtml().Build();
    }

    public static string Render(string markdown, string title, IReadOnlyList<Figure> figures)
    {
        string body = Markdown.ToHtml(markdown, Pipeline);
        var byPath = figures.Select((f, i) => (f, i)).ToDictionary(t => t.f.RelativePath, t => t, StringComparer.Ordinal);
        body = FigureParagraph().Replace(body, m =>
        {
            string path = WebUtility.HtmlDecode(m.Groups["src"].Value);
            if (!byPath.TryGetValue(path, out var hit)) return m.Value;
            return $"<div class=\"figure\" role=\"img\" aria-label=\"{m.Groups["alt"].Value}\">\n{InlineSvg(hit.f.Svg, $"fig{hit.i + 1}-")}\n</div>";
        });

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
          .Append("<title>").Append(WebUtility.HtmlEncode("Verify report: " + title)).Append("</title>\n")
          .Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n")
          .Append(body)
          .Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>
    /// An SVG document made fit to sit inside HTML: no XML declaration, and every id (clip paths,
    /// images) prefixed so that several figures in one page never resolve each other's references.
    /// </summary>
    public static string InlineSvg(string svg, string idPrefix)
    {
        string s = XmlDeclaration().Replace(svg, "").Trim();
        s = IdAttribute().Replace(s, m => $"{m.Groups[1].Value}=\"{idPrefix}{m.Groups[2].Value}\"");
        s = UrlReference().Replace(s, m => $"url(#{idPrefix}{m.Groups[1].Value})");
        s = HrefReference().Replace(s, m => $"{m.Groups[1].Value}=\"#{idPrefix}{m.Groups[2].Value}\"");
        return s;
    }

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; line-height: 1.5; margin: 0; color: #1b1b1b; background: #fff; }
        main { max-width: 1240px; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
        h1 { font-size: 1.8rem; border-bottom: 2px solid #d8dde3; padding-bottom: .3rem; }
        h2 { font-size: 1.4rem; margin-top: 2.4rem; border-bottom: 1px solid #e6e9ed; padding-bottom: .2rem; }
        h3 { font-size: 1.1rem; margin-top: 1.8rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: .86rem; display: block; overflow-x: auto; max-width: 100%; }
        th, td { border: 1px solid #d0d5db; padding: .3rem .55rem; vertical-align: top; }
        td { white-space: nowrap; }
        td:last-child { white-space: normal; min-width: 14rem; }
        th { background: #eef2f6; }
        tbody tr:nth-child(even) td { background: #f8f9fb; }
        blockquote { margin: 1rem 0; padding: .6rem 1rem; border-left: 4px solid #6f93c4; background: #f4f7fb; }
        pre { background: #f5f7f9; padding: 1rem; overflow-x: auto; font-size: .84rem; border: 1px solid #e3e6ea; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
        .figure { margin: 1rem 0 .5rem; }
        .figure svg { display: block; max-width: 100%; height: auto; }

        """;

    [GeneratedRegex("<p>\\s*<img src=\"(?<src>figures/[^\"]+)\" alt=\"(?<alt>[^\"]*)\"\\s*/?>\\s*</p>")]
    private static partial Regex FigureParagraph();

    [GeneratedRegex("<\\?xml[^>]*\\?>")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("\\b(id)=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("url\\(#([^)]+)\\)")]
    private static partial Regex UrlReference();

    [GeneratedRegex("\\b((?:xlink:)?href)=\"#([^\"]+)\"")]
    private static partial Regex HrefReference();
}
