using Verify.Simulation.Settings;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using Verify.Benchmarks;
using Verify.Simulation.Embedding;

// dotnet run -c Release --project benchmarks/Verify.Benchmarks -- --filter '*Gemm*'
// dotnet run -c Release --project benchmarks/Verify.Benchmarks -- --filter '*Iteration*'
// dotnet run -c Release --project benchmarks/Verify.Benchmarks -- --filter '*Certification*'
// dotnet run -c Release --project benchmarks/Verify.Benchmarks -- --filter '*' --anyCategories PaperCell   (long, opt-in)

var config = DefaultConfig.Instance;
// The paper cells take minutes each: only when asked for by category or name.
bool paperCells = args.Any(a => a.Contains(PaperCellBenchmarks.Category, StringComparison.OrdinalIgnoreCase));
if (!paperCells)
    config = config.AddFilter(new SimpleFilter(b => !b.Descriptor.Categories.Contains(PaperCellBenchmarks.Category)));

var notes = Notes(paperCells);
foreach (var line in notes) Console.WriteLine(line);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
if (summaries.Any())
{
    Console.WriteLine();
    foreach (var line in notes) Console.WriteLine(line);
}
return 0;

static List<string> Notes(bool paperCells)
{
    var lines = new List<string> { "// Verify benchmarks: " + Cases.BackendDescription() };
    if (Verify.Simulation.Kernels.OpenBlas.TryLoad() is null)
        lines.Add("// GemmBenchmarks: OpenBLAS cases skipped (libopenblas.so.0 cannot be loaded)");
    var modes = new[] { EmbeddingMode.Subspace, EmbeddingMode.RotationInvariant, EmbeddingMode.Naive };
    foreach (var (name, nTest, on) in new[] { ("IterationBenchmarks", IterationBenchmarks.NTest, true), ("PaperCellBenchmarks", PaperCellBenchmarks.NTest, paperCells) })
    {
        if (!on) { lines.Add($"// {name}: opt-in, not run (add --anyCategories {PaperCellBenchmarks.Category})"); continue; }
        foreach (var mode in modes)
            foreach (int d in Cases.Dimensions)
                if (Cases.SkipReason(d, mode, nTest) is { } why && !why.StartsWith("naive mode is benchmarked"))
                    lines.Add($"// {name} skips {Cases.Label(d, mode)}: {why}");
    }
    return lines;
}
