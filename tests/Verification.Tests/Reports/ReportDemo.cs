using Verify.Verification.Reports;

namespace Verify.Verification.Tests.Reports;

/// <summary>
/// Renders a rich synthetic report (every figure kind) for a person to look at. Explicit: run with
/// `dotnet test --filter Name=Render_demo_report`; the directory is VERIFY_REPORT_DEMO or /tmp/report-demo.
/// </summary>
public class ReportDemo
{
    [Test, Explicit("writes a demo report for a person to look at")]
    public void Render_demo_report()
    {
        string dir = Environment.GetEnvironmentVariable("VERIFY_REPORT_DEMO") is { Length: > 0 } d ? d : "/tmp/report-demo";
        var (summary, runs) = new SyntheticSummary
        {
            Name = "Demo: benign overfitting grid (synthetic)",
            Mus = [2, 3, 4, 6, 8],
            Ds = [100, 316, 1000, 3162, 10000, 31623, 100000],
            Ratios = [0, 0.25, 0.5, 0.75, 1, 1.25],
            MnistAlphas = [0, 0.5, 1, 2, 3, 4],
        }.Build();
        var files = ReportWriter.Write(summary, runs, dir);
        TestContext.Out.WriteLine(string.Join("\n", files.Figures.Prepend(files.Html)));
    }

    [Test, Explicit("writes the tests' 3×3 × 2 grid as a report for a person to look at")]
    public void Render_small_demo_report()
    {
        string dir = Environment.GetEnvironmentVariable("VERIFY_REPORT_DEMO_SMALL") is { Length: > 0 } d ? d : "/tmp/report-demo-small";
        var (summary, runs) = new SyntheticSummary().Build();
        var files = ReportWriter.Write(summary, runs, dir);
        TestContext.Out.WriteLine(string.Join("\n", files.Figures.Prepend(files.Html)));
    }
}
