using System.Globalization;
using System.Text.RegularExpressions;
using Verify.Verification.Output;

namespace Verify.Verification.Tests.Output;

/// <summary>The plain progress lines: the ETA comes from the rate of the work being done, not of results reused.</summary>
public class ProgressReporterTests
{
    [Test]
    public void Reused_results_do_not_shorten_the_eta()
    {
        var err = new StringWriter();
        var reporter = new ProgressReporter(new CliContext(new StringWriter(), err, interactive: false), TimeSpan.Zero);
        reporter.Run("sweep", report =>
        {
            report(90, 100, "90 reused");      // found at the start
            Thread.Sleep(300);
            report(91, 100, "one computed");   // ≥ 0.3 s for one run: 9 left take ≥ 2.7 s
            return 0;
        });
        var eta = Regex.Match(err.ToString(), @"91/100 .*ETA (?<v>[^,]+),");
        Assert.That(eta.Success, Is.True, err.ToString());
        // Counting the 90 reused as done at the same rate would give 0.3 · 9 / 91 ≈ 0.03 s. (On a machine so slow that it reads "… min …", it is long enough.)
        string v = eta.Groups["v"].Value;
        if (v.EndsWith(" s", StringComparison.Ordinal) && !v.Contains("min", StringComparison.Ordinal))
            Assert.That(double.Parse(v[..^2], CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2.7), v);
    }
}
