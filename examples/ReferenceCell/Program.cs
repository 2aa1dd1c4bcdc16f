// Verify's libraries from their NuGet packages: Verify.Bounds says what the theory expects at the paper's
// example point, Verify.Simulation trains the two-layer network adversarially there and measures it.
//
//   dotnet run -c Release --project examples/ReferenceCell [-- T]
//
// The cell is Regime.Default: n = 100, d = 100 000, m = 1000, M = ||μ|| = 10, α = 1, β = 0.1 (the point
// `verify check` shows by default; it satisfies every hypothesis at C = 1). The paper trains T = 1000
// iterations; this example trains T = 100 by default (about 15 s on 2 idle cores: the cost does not depend on d)
// and prints the scale it used. Everything else is at the paper's settings.
using System.Diagnostics;
using System.Globalization;
using Verify.Bounds;
using Verify.Simulation.Data;
using Verify.Simulation.Runs;
using Verify.Simulation.Settings;

var inv = CultureInfo.InvariantCulture;
int iterations = args.Length > 0 ? int.Parse(args[0], inv) : 100;

// Theory (Verify.Bounds): the regime, its hypotheses and the HEURISTIC prediction of the linearized interpolator.
Regime regime = Regime.Default;
RegimeAnalysis theory = RegimeAnalysis.Of(regime);
Console.WriteLine(string.Create(inv, $"cell: n = {regime.N}, d = {regime.D:0}, m = {regime.Width}, M = {regime.Mu}, alpha = {regime.Alpha}, beta = {regime.Beta} (Verify.Bounds Regime.Default)"));
Console.WriteLine(string.Create(inv, $"theory: hypotheses A1-A4 and R hold for every C <= {theory.CStar:G4} (binding: {theory.Binding.Id}); HEURISTIC clean error {theory.Heuristic.Clean:G4}, robust error {theory.Heuristic.Robust:G4}"));

// Simulation (Verify.Simulation): one run, the paper's settings except for the scale printed here.
var spec = new RunSpec
{
    Data = new GaussianMixture(N: regime.N, NTest: Keys.NTest.Default, D: (long)regime.D, Mu: regime.Mu, Beta: regime.Beta),
    Alpha = regime.Alpha,
    Width = regime.Width,
    Iterations = iterations,
    Seed = 0,
};
Console.WriteLine(string.Create(inv, $"scale: T = {iterations} iterations (the paper: {Keys.Iterations.Default}); {Keys.NTest.Default} test points, everything else at the paper's settings"));

var clock = Stopwatch.StartNew();
RunResult result = Simulator.Run(spec);
clock.Stop();
Console.WriteLine(string.Create(inv, $"run: mode {result.Mode} (R = {result.BasisDimension}), {result.Precision}, {result.Backend}, Verify.Simulation {result.Version}; {clock.Elapsed.TotalSeconds:F1} s (training {result.Timings.TrainingSeconds:F1} s, evaluation {result.Timings.EvaluationSeconds:F1} s)"));

if (result.Evaluation is not { } evaluation)
{
    Console.WriteLine($"diverged: {result.Training.Divergence}");
    return 3;
}
// Test errors against the observed (noisy) labels, the quantities Theorem 3.1 bounds; each with its 95% Wilson interval.
foreach (var (name, e) in new[] { ("clean test error", evaluation.CleanTest), ("robust test error", evaluation.RobustTest) })
{
    var (low, high) = e.Wilson95;
    Console.WriteLine(string.Create(inv, $"{name}: {e.Rate:F4} ({e.Errors}/{e.Total}; 95% Wilson [{low:F4}, {high:F4}])"));
}
Console.WriteLine(string.Create(inv, $"robust training error: {evaluation.RobustTrain.Rate:F4} ({(result.Interpolates ? "interpolates" : "does not interpolate")} after T = {iterations})"));
return 0;
