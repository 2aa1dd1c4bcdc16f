using Verify.Simulation.Settings;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Verify.Simulation.Kernels;
using Verify.Simulation.Runs;

namespace Verify.Benchmarks;

public enum GemmShape
{
    /// <summary>The reference: plain 1000³ GEMM, no transposes.</summary>
    Square1000,
    /// <summary>Forward X·Wᵀ: n × m × R (100 × 1000 × 600), transB.</summary>
    Forward,
    /// <summary>Input gradient P·W: n × R × m (100 × 600 × 1000).</summary>
    InputGradient,
    /// <summary>Weight update Pᵀ·X: m × R × n (1000 × 600 × 100), transA, β = 1.</summary>
    WeightUpdate,
    /// <summary>Evaluation forward: 256 × 1000 × 600, transB.</summary>
    EvalForward,
    /// <summary>Test projection chunk·Qᵀ: 64 × R × d (64 × 600 × 10⁴), transB.</summary>
    TestProjection,
    /// <summary>A skinny product: m × n × small k (1000 × 100 × 16), transB; packing and edges dominate.</summary>
    Skinny,
}

public enum GemmBackend
{
    OpenBlas,
    Managed,
    /// <summary>The managed kernel with op(B) packed once ahead (ManagedGemm.Pack), as an attack multiplies by W: only the shapes whose B is W.</summary>
    ManagedPackedB,
}

/// <summary>
/// The dense products of the hot loop at the paper's sizes (n = 100, m = 1000, R = m/2 + n = 600),
/// each on OpenBLAS and on the managed kernel (both on all cores), next to the plain square GEMM, in
/// one job; the shapes that multiply by W also with W packed ahead (ManagedPackedB), as in an attack. The GFLOP/s and "of square" columns give each shape's rate and its fraction of the
/// square OpenBLAS rate in the same precision; "managed/OpenBLAS" the managed rate over OpenBLAS's on
/// the same shape and precision. OpenBLAS's kernel is the one it detects, or the one OPENBLAS_CORETYPE
/// pins (Verify never sets it; the header line says which).
/// </summary>
[Config(typeof(Config))]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GemmBenchmarks
{
    public const int TestProjectionD = 10_000;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new GflopsColumn(), new FractionOfSquareColumn(), new ManagedOverOpenBlasColumn());
            AddFilter(new SimpleFilter(b => (GemmBackend)b.Parameters["Backend"] != GemmBackend.OpenBlas || OpenBlas.TryLoad() is not null));
            AddFilter(new SimpleFilter(b => (GemmBackend)b.Parameters["Backend"] != GemmBackend.ManagedPackedB
                || (GemmShape)b.Parameters["Shape"] is GemmShape.Forward or GemmShape.InputGradient or GemmShape.EvalForward));
        }
    }

    [Params(GemmShape.Square1000, GemmShape.Forward, GemmShape.InputGradient, GemmShape.WeightUpdate, GemmShape.EvalForward, GemmShape.TestProjection, GemmShape.Skinny)]
    public GemmShape Shape { get; set; }

    [Params(GemmBackend.OpenBlas, GemmBackend.Managed, GemmBackend.ManagedPackedB)]
    public GemmBackend Backend { get; set; }

    [Params(Precision.Double, Precision.Single)]
    public Precision Precision { get; set; }

    public readonly record struct Dims(int M, int N, int K, bool TransA, bool TransB, double Beta)
    {
        /// <summary>2·m·n·k multiply-adds counted as two flops (the β·C term is not counted).</summary>
        public double Flops => 2.0 * M * N * K;
    }

    public static Dims Of(GemmShape s) => s switch
    {
        GemmShape.Square1000 => new(1000, 1000, 1000, false, false, 0),
        GemmShape.Forward => new(Cases.N, Cases.Width, Cases.K, false, true, 0),
        GemmShape.InputGradient => new(Cases.N, Cases.K, Cases.Width, false, false, 0),
        GemmShape.WeightUpdate => new(Cases.Width, Cases.K, Cases.N, true, false, 1),
        GemmShape.EvalForward => new(256, Cases.Width, Cases.K, false, true, 0),
        GemmShape.TestProjection => new(64, Cases.K, TestProjectionD, false, true, 0),
        GemmShape.Skinny => new(Cases.Width, Cases.N, 16, false, true, 0),
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    private IGemm _gemm = null!;
    private Dims _dims;
    private int _lda, _ldb, _ldc;
    private double[] _a64 = [], _b64 = [], _c64 = [];
    private float[] _a32 = [], _b32 = [], _c32 = [];
    private readonly PackedOperand<double> _packed64 = new();
    private readonly PackedOperand<float> _packed32 = new();

    [GlobalSetup]
    public void Setup()
    {
        _gemm = Backend == GemmBackend.OpenBlas
            ? OpenBlas.TryLoad() ?? throw new InvalidOperationException($"{OpenBlas.LibraryName} cannot be loaded")
            : ManagedGemm.Instance;
        _dims = Of(Shape);
        var (m, n, k) = (_dims.M, _dims.N, _dims.K);
        // Row-major: op(A) is m×k, stored k×m when transposed; op(B) is k×n, stored n×k when transposed.
        _lda = _dims.TransA ? m : k;
        _ldb = _dims.TransB ? k : n;
        _ldc = n;
        var rng = new Random(12345);
        double[] Fill(int len) { var x = new double[len]; for (int i = 0; i < len; i++) x[i] = rng.NextDouble() - 0.5; return x; }
        _a64 = Fill(m * k); _b64 = Fill(k * n); _c64 = Fill(m * n);
        if (Precision == Precision.Single)
        {
            _a32 = Array.ConvertAll(_a64, v => (float)v); _b32 = Array.ConvertAll(_b64, v => (float)v); _c32 = Array.ConvertAll(_c64, v => (float)v);
            _a64 = _b64 = _c64 = [];
        }
        if (Backend == GemmBackend.ManagedPackedB)
        {
            if (Precision == Precision.Double) ManagedGemm.Instance.Pack(_packed64, _dims.TransB, k, n, _b64, _ldb);
            else ManagedGemm.Instance.Pack(_packed32, _dims.TransB, k, n, _b32, _ldb);
        }
    }

    [Benchmark]
    public void Gemm()
    {
        var d = _dims;
        if (Backend == GemmBackend.ManagedPackedB)
        {
            if (Precision == Precision.Double) ManagedGemm.Instance.Gemm(d.TransA, d.M, 1.0, _a64, _lda, _packed64, 0.0, _c64.AsSpan(), _ldc);
            else ManagedGemm.Instance.Gemm(d.TransA, d.M, 1f, _a32, _lda, _packed32, 0f, _c32.AsSpan(), _ldc);
            return;
        }
        // α small where β = 1 so that repeated accumulation stays bounded.
        if (Precision == Precision.Double)
            _gemm.Gemm(d.TransA, d.TransB, d.M, d.N, d.K, d.Beta == 0 ? 1.0 : 1e-6, _a64, _lda, _b64, _ldb, d.Beta, _c64, _ldc);
        else
            _gemm.Gemm(d.TransA, d.TransB, d.M, d.N, d.K, d.Beta == 0 ? 1f : 1e-6f, _a32, _lda, _b32, _ldb, (float)d.Beta, _c32, _ldc);
    }
}

/// <summary>Managed rate over the OpenBLAS rate of the same shape, precision and job (on the managed rows).</summary>
public sealed class ManagedOverOpenBlasColumn : SimpleColumn
{
    public override string Id => "ManagedOverOpenBlas";
    public override string ColumnName => "managed/OpenBLAS";
    public override string Legend => "managed GFLOP/s (packing B per product, or ahead) divided by OpenBLAS GFLOP/s on the same shape and precision in the same job (shown on the managed rows)";
    public override string GetValue(Summary summary, BenchmarkCase b)
    {
        if (b.Descriptor.Type != typeof(GemmBenchmarks) || GemmRates.Backend(b) == GemmBackend.OpenBlas) return "-";
        var openblas = summary.BenchmarksCases.FirstOrDefault(x => x.Descriptor.Type == typeof(GemmBenchmarks)
            && GemmRates.Backend(x) == GemmBackend.OpenBlas && GemmRates.Shape(x) == GemmRates.Shape(b)
            && GemmRates.Precision(x) == GemmRates.Precision(b) && x.Job.DisplayInfo == b.Job.DisplayInfo);
        return GemmRates.Gflops(summary, b) is { } r && openblas is not null && GemmRates.Gflops(summary, openblas) is { } o
            ? (r / o).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "×" : "NA";
    }
}
