using Verify.Simulation.Settings;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Verify.Simulation.Runs;

namespace Verify.Benchmarks;

/// <summary>Helpers shared by the GEMM columns: flops of a case and its achieved rate.</summary>
internal static class GemmRates
{
    public static GemmShape Shape(BenchmarkCase b) => (GemmShape)b.Parameters["Shape"];
    public static GemmBackend Backend(BenchmarkCase b) => (GemmBackend)b.Parameters["Backend"];
    public static Precision Precision(BenchmarkCase b) => (Precision)b.Parameters["Precision"];

    /// <summary>GFLOP/s from the mean time, or null when the case has no result.</summary>
    public static double? Gflops(Summary summary, BenchmarkCase b)
    {
        if (b.Descriptor.Type != typeof(GemmBenchmarks)) return null;
        var stats = summary[b]?.ResultStatistics;
        if (stats is null || !(stats.Mean > 0)) return null;
        return GemmBenchmarks.Of(Shape(b)).Flops / stats.Mean; // flops per ns = GFLOP/s
    }
}

public abstract class SimpleColumn : IColumn
{
    public abstract string Id { get; }
    public abstract string ColumnName { get; }
    public abstract string Legend { get; }
    public abstract string GetValue(Summary summary, BenchmarkCase benchmarkCase);
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(b => b.Descriptor.Type == typeof(GemmBenchmarks));
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
}

/// <summary>Achieved rate, 2·m·n·k / mean time.</summary>
public sealed class GflopsColumn : SimpleColumn
{
    public override string Id => "GFLOPs";
    public override string ColumnName => "GFLOP/s";
    public override string Legend => "2·m·n·k / mean time, in 10⁹ floating-point operations per second";
    public override string GetValue(Summary summary, BenchmarkCase b)
        => GemmRates.Gflops(summary, b) is { } g ? g.ToString("0.0", CultureInfo.InvariantCulture) : "NA";
}

/// <summary>Rate as a fraction of the plain OpenBLAS square 1000³ GEMM in the same precision.</summary>
public sealed class FractionOfSquareColumn : SimpleColumn
{
    public override string Id => "OfSquare";
    public override string ColumnName => "of square";
    public override string Legend => "GFLOP/s divided by the OpenBLAS Square1000 GFLOP/s of the same precision and job (the plain OpenBLAS GEMM rate)";
    public override string GetValue(Summary summary, BenchmarkCase b)
    {
        var rate = GemmRates.Gflops(summary, b);
        var reference = summary.BenchmarksCases.FirstOrDefault(x => x.Descriptor.Type == typeof(GemmBenchmarks)
            && GemmRates.Shape(x) == GemmShape.Square1000 && GemmRates.Backend(x) == GemmBackend.OpenBlas
            && GemmRates.Precision(x) == GemmRates.Precision(b) && x.Job.DisplayInfo == b.Job.DisplayInfo);
        var refRate = reference is null ? null : GemmRates.Gflops(summary, reference);
        return rate is { } r && refRate is { } rr ? (r / rr).ToString("P0", CultureInfo.InvariantCulture) : "NA";
    }
}
