using Verify.Verification.Results;

namespace Verify.Verification.Regression;

/// <summary>One compared quantity of one run.</summary>
internal sealed record MetricDiff(string RunId, string Cell, string Metric, double Baseline, double Rerun, string Allowed, bool Within);

/// <summary>Compares a rerun with its baseline run metric by metric.</summary>
internal static class RegressionCheck
{
    public static IReadOnlyList<MetricDiff> Compare(BaselineRun b, RunRecord rerun, RegressionTolerances tol, string cell)
    {
        var diffs = new List<MetricDiff>();
        void Exact(string metric, double a, double r) => diffs.Add(new(b.Id, cell, metric, a, r, "equal", a.Equals(r)));
        Exact("diverged", b.Divergence is null ? 0 : 1, rerun.Divergence is null ? 0 : 1);
        if (b.Metrics is not { } m || rerun.Metrics is not { } n) return diffs;

        void Relative(string metric, double a, double r)
        {
            double dev = Math.Abs(r - a) / Math.Max(Math.Abs(a), 1e-300);
            diffs.Add(new(b.Id, cell, metric, a, r, $"±{tol.LossRelative:G2} relative", dev <= tol.LossRelative || a == r));
        }
        void Interval(string metric, Estimate a, Estimate r)
        {
            double lo = a.WilsonLow - tol.RateSlack, hi = a.WilsonHigh + tol.RateSlack;
            diffs.Add(new(b.Id, cell, metric, a.Rate, r.Rate, $"[{lo:0.####}, {hi:0.####}] (95% Wilson)", r.Rate == a.Rate || (r.Rate >= lo && r.Rate <= hi)));
        }
        Exact("interpolates", m.Interpolates ? 1 : 0, n.Interpolates ? 1 : 0);
        Relative("robustTrainLoss", m.RobustTrainLoss, n.RobustTrainLoss);
        Relative("finalCurveLoss", b.FinalCurveLoss, rerun.Curve.RobustLoss.LastOrDefault());
        Interval("robustTrainError", m.RobustTrain, n.RobustTrain);
        Interval("cleanTestError", m.CleanTest, n.CleanTest);
        Interval("robustTestError", m.RobustTest, n.RobustTest);
        Interval("cleanTestErrorCleanLabels", m.CleanTestCleanLabels, n.CleanTestCleanLabels);
        Interval("robustTestErrorCleanLabels", m.RobustTestCleanLabels, n.RobustTestCleanLabels);
        // The certified upper ends, where the baseline has them (baselines written before certification have not):
        // an error rate like the others, and certified interpolation, like interpolation, exactly. A rerun without them would be a bug.
        void Certified(string metric, Estimate? a, Estimate? r)
        {
            if (a is null) return;
            if (r is null) diffs.Add(new(b.Id, cell, metric, a.Rate, double.NaN, "present", false));
            else Interval(metric, a, r);
        }
        if (m.CertifiedInterpolates is { } certified)
            Exact("certifiedInterpolates", certified ? 1 : 0, n.CertifiedInterpolates switch { true => 1, false => 0, null => double.NaN });
        Certified("robustTrainErrorCertified", m.RobustTrainCertified, n.RobustTrainCertified);
        Certified("robustTestErrorCertified", m.RobustTestCertified, n.RobustTestCertified);
        return diffs;
    }
}
