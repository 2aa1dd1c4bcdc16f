using Verify.Simulation.Settings;
using System.Text.Json;
using Spectre.Console;
using Verify.Verification.Output;
using static Verify.Verification.Text.Fmt;
using Verify.Verification.Benchmarking;
using Verify.Verification.Results;

namespace Verify.Verification.Output;

/// <summary>The table and the JSON document of `verify bench`.</summary>
internal static class BenchOutput
{
    public const string UnavailableNote = "baseline unavailable";

    public static void Render(BenchReport r, IAnsiConsole console, string version)
    {
        var s = r.Settings;
        console.MarkupLine($"[bold]verify bench[/] seconds per GD iteration (PGD-{s.PgdSteps} attack + full-batch step), " +
                           $"Verify and PyTorch run alternately, {s.Repeats} timed run(s) each");
        console.MarkupLine(Markup.Escape($"n = {s.N}, d = {s.D}, m = {s.Width}, M = {Num(s.Mu)}, α = {Num(s.Alpha)}, β = {Num(BenchSettings.Beta)}, " +
                           $"T = {s.Iterations}, PGD-{s.PgdSteps}, η = {Num(r.LearningRate)}, ω = {Num(r.InitScale)}, {s.PrecisionName}, {r.Threads} thread(s) each side"));
        console.WriteLine();

        var t = new Table().Border(TableBorder.Rounded).Title("Milliseconds per GD iteration");
        t.AddColumns("side", "runs", "median", "min", "max", "each run");
        t.AddRow(Markup.Escape($"Verify ({r.Mode}, R = {r.BasisDimension})"), r.Verify.Count.ToString(),
            Ms(r.Verify.Median), Ms(r.Verify.Min), Ms(r.Verify.Max), Markup.Escape(Each(r.Verify)));
        if (r.PyTorch.Count > 0)
            t.AddRow(Markup.Escape($"PyTorch baseline (autograd, R^{s.D})"), r.PyTorch.Count.ToString(),
                Ms(r.PyTorch.Median), Ms(r.PyTorch.Min), Ms(r.PyTorch.Max), Markup.Escape(Each(r.PyTorch)));
        else
            t.AddRow("PyTorch baseline", "0", "—", "—", "—", "[grey]not run[/]");
        console.Write(t);

        if (r.Ratio is { } ratio)
        {
            string range = r.PyTorch.Count > 1 || r.Verify.Count > 1
                ? $" (range over runs {Num(r.PyTorch.Min / r.Verify.Max, 3)}× – {Num(r.PyTorch.Max / r.Verify.Min, 3)}×)" : "";
            string who = ratio >= 1 ? $"Verify is {Num(ratio, 3)}× faster" : $"PyTorch is {Num(1 / ratio, 3)}× faster";
            console.MarkupLine($"[bold]PyTorch / Verify (medians): {Num(ratio, 3)}×[/]{Markup.Escape(range)}: {who} per iteration.");
        }
        if (r.BaselineUnavailable is { } why)
            console.MarkupLine($"[yellow]{UnavailableNote}:[/] {Markup.Escape(why)}. Verify's own timing is reported above.");
        foreach (var note in r.Notes) console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        console.MarkupLine("[grey]Verify: training seconds / iterations from the run's timings (setup and evaluation not counted; one untimed warm-up run first). " +
                           "PyTorch: train_seconds / iterations from the baseline's JSON line.[/]");
        console.WriteLine();

        var e = r.Environment;
        var env = new Table().Border(TableBorder.Rounded).Title("Environment").HideHeaders();
        env.AddColumns("", "");
        env.AddRow("CPU", Markup.Escape($"{e.Machine.Cpu} ({e.Machine.Cores} cores visible)"));
        env.AddRow("OS", Markup.Escape(e.Machine.Os));
        env.AddRow(".NET", Markup.Escape(e.Machine.Runtime));
        env.AddRow("BLAS backend", Markup.Escape(e.Machine.Blas + (e.OpenBlasCoreType is { } c ? $", OPENBLAS_CORETYPE={c}" : "")));
        env.AddRow(Keys.Precision.Name, e.Precision);
        env.AddRow("Verify version", Markup.Escape(version));
        env.AddRow("Python", Markup.Escape(e.Python + (e.PythonVersion is { } pv ? $" ({pv})" : "")));
        env.AddRow("torch", Markup.Escape(e.TorchVersion ?? "unknown"));
        env.AddRow("baseline script", Markup.Escape(r.BaselinePath ?? "not found"));
        console.Write(env);
    }

    public static string Json(BenchReport r, string version)
    {
        var s = r.Settings;
        var e = r.Environment;
        object Stats(Samples x) => x.Count == 0 ? null! : new { median = x.Median, min = x.Min, max = x.Max, runs = x.Values };
        var doc = new
        {
            tool = new { name = "verify", version },
            config = new
            {
                n = s.N, d = s.D, m = s.Width, mu = s.Mu, alpha = s.Alpha, beta = BenchSettings.Beta, iters = s.Iterations, pgd = s.PgdSteps,
                lr = r.LearningRate, init = r.InitScale, precision = s.PrecisionName, repeats = s.Repeats, threads = r.Threads,
                ntest = BenchSettings.TestPoints, seed = BenchSettings.Seed,
            },
            environment = new
            {
                cpu = e.Machine.Cpu, cores = e.Machine.Cores, os = e.Machine.Os, dotnet = e.Machine.Runtime, blas = e.Machine.Blas, openblasCoretype = e.OpenBlasCoreType,
                precision = e.Precision, verifyVersion = version, python = e.Python, pythonVersion = e.PythonVersion, torch = e.TorchVersion,
            },
            verify = new { mode = r.Mode, basisDimension = r.BasisDimension, secondsPerIteration = Stats(r.Verify) },
            pytorch = new
            {
                available = r.PyTorch.Count > 0,
                baseline = r.BaselinePath,
                note = r.BaselineUnavailable is { } why ? $"{UnavailableNote}: {why}" : null,
                secondsPerIteration = Stats(r.PyTorch),
            },
            ratio = r.Ratio,
            notes = r.Notes,
        };
        return JsonSerializer.Serialize(doc, Results.Json.AsWritten);
    }

    private static string Ms(double seconds) => double.IsNaN(seconds) ? "—" : Num(seconds * 1e3);
    private static string Each(Samples x) => string.Join(", ", x.Values.Select(v => Num(v * 1e3)));
}
