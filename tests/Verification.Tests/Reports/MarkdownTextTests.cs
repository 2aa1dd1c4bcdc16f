using Markdig;
using Verify.Verification.Reports;

namespace Verify.Verification.Tests.Reports;

public class MarkdownTextTests
{
    private static string Html(string md) => Markdown.ToHtml(md, HtmlReport.Pipeline).Trim();

    [TestCase("plain text", "<p>plain text</p>")]
    [TestCase("*a* _b_ `c` [d](e) ~~f~~ $g$ {h}", "<p>*a* _b_ `c` [d](e) ~~f~~ $g$ {h}</p>")]
    [TestCase("<b>x</b> & y", "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>")]
    [TestCase("# h", "<p># h</p>")]
    [TestCase("- item", "<p>- item</p>")]
    [TestCase("12. item", "<p>12. item</p>")]
    [TestCase("> quote", "<p>&gt; quote</p>")]
    [TestCase("a | b", "<p>a | b</p>")]
    public void Escaped_text_renders_as_itself(string text, string html)
        => Assert.That(Html(MarkdownText.Block(text)), Is.EqualTo(html));

    [Test]
    public void Blocks_keep_paragraphs_and_drop_indentation()
    {
        Assert.That(Html(MarkdownText.Block("one\n\n    two")), Is.EqualTo("<p>one</p>\n<p>two</p>"));
        Assert.That(MarkdownText.Block(null), Is.Empty);
    }

    [Test]
    public void A_cell_is_one_line_and_escapes_pipes_but_not_numbers()
    {
        Assert.That(MarkdownText.Cell("a|b\nc"), Is.EqualTo("a\\|b c"));
        Assert.That(MarkdownText.Cell("0.1"), Is.EqualTo("0.1"));
        Assert.That(MarkdownText.Cell(""), Is.EqualTo(" "));
        string table = "| h |\n|---|\n| " + MarkdownText.Cell("x|y") + " |\n";
        Assert.That(Html(table), Does.Contain("<td>x|y</td>"));
    }

    [Test]
    public void A_fence_is_longer_than_any_backtick_run_inside()
    {
        Assert.That(MarkdownText.Fence("{ }"), Is.EqualTo("```"));
        Assert.That(MarkdownText.Fence("a ```` b"), Is.EqualTo("`````"));
    }

    [Test]
    public void Generic_attributes_and_raw_html_are_off_in_the_pipeline()
    {
        Assert.That(Html("# title {onclick=alert(1)}"), Does.Not.Contain("onclick=\""));
        Assert.That(Html("<script>alert(1)</script>"), Does.Not.Contain("<script"));
        Assert.That(Html("| a |\n|---|\n| 1 |"), Does.Contain("<table>"), "pipe tables are on");
    }
}
