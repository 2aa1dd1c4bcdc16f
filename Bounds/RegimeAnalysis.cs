using Verify.Bounds.Assumptions;
using Verify.Bounds.Gaussian;
using Verify.Bounds.Heuristic;
using Verify.Bounds.Inverse;
using Verify.Bounds.Theorems;

namespace Verify.Bounds;

/// <summary>Everything the theory says about one regime; what `verify check` and the reports print.</summary>
public sealed record RegimeAnalysis(
    Regime Regime,
    IReadOnlyList<AssumptionCheck> Assumptions,
    IReadOnlyList<UnquantifiedAssumption> StatedInWordsOnly,
    TheoremBound CleanBound,
    TheoremBound RobustBound,
    bool Collapse,
    double RobustLowerAnyClassifier,
    GaussianValues Gaussian,
    HeuristicPrediction Heuristic,
    InverseValues Inverse)
{
    /// <summary>min over A1–A4 and R of C*: the regime meets every hypothesis for all C ≤ this.</summary>
    public double CStar => Assumptions.Min(a => a.CStar);

    /// <summary>The assumption that sets <see cref="CStar"/>.</summary>
    public AssumptionCheck Binding => Assumptions.MinBy(a => a.CStar)!;

    public bool AllHold => Assumptions.All(a => a.Holds);

    /// <summary>min over A1–A4 of C*: Theorem 3.1's interpolation and clean-error claims apply for all C ≤ this (R is not needed for them).</summary>
    public double CleanCStar => Assumptions.Where(a => a.Id != TheoremAssumptions.RobustId).Min(a => a.CStar);

    /// <summary>min over A1–A4 and R of C*: the robust-error claim applies for all C ≤ this (the same as <see cref="CStar"/>).</summary>
    public double RobustCStar => CStar;

    public static RegimeAnalysis Of(Regime regime, double epsilon = 0.05)
    {
        var r = regime.Validate();
        return new RegimeAnalysis(
            r,
            TheoremAssumptions.All(r),
            TheoremAssumptions.StatedInWordsOnly,
            Theorem31.CleanBound(r),
            Theorem31.RobustBound(r),
            Theorem32.Collapse(r),
            Theorem32.RobustLowerBoundAnyClassifier(r),
            new GaussianValues(
                GaussianReference.BayesClean(r.Mu, r.Beta),
                GaussianReference.RobustLower(r.Mu, r.Alpha, r.Beta),
                GaussianReference.LinearRobust(r.Mu, r.Alpha, r.Beta)),
            LinearizedInterpolator.Predict(r),
            new InverseValues(
                InverseQueries.MinDimension(r),
                InverseQueries.MaxAlpha(r),
                InverseQueries.MaxBeta(r),
                epsilon,
                InverseQueries.MaxDimensionForCleanExcess(r, epsilon),
                InverseQueries.HeuristicCleanBoundary(r.N, r.Mu, r.Beta, epsilon),
                r.Mu > 0 ? InverseQueries.HeuristicRobustBoundary(r.N, r.Mu, r.Alpha / r.Mu, r.Beta, epsilon) : null));
    }
}

/// <summary>EXACT Gaussian reference errors (noisy labels).</summary>
public sealed record GaussianValues(double BayesClean, double RobustLower, double LinearRobust);

/// <summary>Inverse queries at the regime's C (and, for the heuristic boundaries, its α/M).</summary>
public sealed record InverseValues(
    double MinD,
    double? MaxAlpha,
    double MaxBeta,
    double Epsilon,
    double MaxDForCleanExcess,
    double? HeuristicCleanBoundaryD,
    double? HeuristicRobustBoundaryD);
