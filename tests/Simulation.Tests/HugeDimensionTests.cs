using System.Numerics;
using Verify.Simulation.Attack;
using Verify.Simulation.Data;
using Verify.Simulation.Embedding;
using Verify.Simulation.Model;
using Verify.Simulation.Randomness;
using Verify.Simulation.Runs;
using Verify.Simulation.Training;

namespace Verify.Simulation.Tests;

public class HugeDimensionExplore
{
    public static double InitFactor = 1;
    static RunSpec Spec(long d, double muFactor, int n, int m, int T, ulong seed) {
        double mu = muFactor > 0 ? muFactor * Math.Pow((double)d / n, 0.25) : -muFactor * 0.1 * Math.Sqrt((double)d / n);
        return new RunSpec {
            Data = new GaussianMixture(n, 500, d, mu, 0.1),
            Alpha = 0.1 * mu, Width = m, Iterations = T,
            TrainAttack = new PgdSettings(5), EvalAttack = new PgdSettings(10), Seed = seed,
            Mode = EmbeddingMode.RotationInvariant, InitScale = InitFactor * 1e-3 / Math.Sqrt(d),
        };
    }

    static (double loss, double[] curve, T[] clean, T[] robust) Replay<T>(RunSpec spec, CoordinateProblem<double> p64) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = p64.Convert<T>();
        double eta = DefaultRules.LearningRate(p64.TrainX);
        var net = TwoLayerNetwork<T>.Symmetric(p.InitialHalfRows, spec.Activation);
        var tr = new AdversarialTrainer<T>(TestProblems.Gemm);
        var o = tr.Train(net, p.TrainX, p.TrainY, new ThreatModel(spec.Alpha, spec.TrainAttack, p.AmbientDimension), new TrainingSettings(spec.Iterations, eta), SeedStreams.For(spec.Seed, RandomStream.TrainingAttack));
        var pgd = new Pgd<T>(new MarginKernel<T>(TestProblems.Gemm));
        var res = new AttackResult<T>(p.NTest, p.R);
        pgd.Attack(net, p.TestX.Data, p.NTest, p.TestY, new ThreatModel(spec.Alpha, spec.EvalAttack, p.AmbientDimension), new Rng(5), res, cleanMargins: true);
        return (o.Curve[^1].RobustLoss, o.Curve.Select(c => c.RobustLoss).ToArray(), res.CleanMargins[..p.NTest], res.Margins[..p.NTest]);
    }

    [Test]
    public void Explore([Values(1e6, 1e9, 1e12, 1e15)] double dd, [Values(1.0, 2.0, -0.3, -0.5, -1.0, -1.5, -2.0)] double muf, [Values(1e-3)] double initf)
    {
        InitFactor = initf;
        long d = (long)dd;
        for (ulong seed = 1; seed <= 8; seed++)
        {
            var spec = Spec(d, muf, 20, 40, 100, seed);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var a = Simulator.Run(spec);
            var b = Simulator.Run(spec with { Precision = Precision.Single });
            double t = sw.Elapsed.TotalSeconds;
            var p64 = Simulator.Realize(spec, TestProblems.Gemm);
            var r64 = Replay<double>(spec, p64); double eta0 = DefaultRules.LearningRate(p64.TrainX);
            var r32 = Replay<float>(spec, p64);
            double maxRelCurve = r64.curve.Zip(r32.curve, (x, y) => Math.Abs(x - y) / x).Max();
            int dc = 0, dr = 0; double minAbsClean = double.MaxValue; double scale = Math.Sqrt(r64.clean.Average(q => q * q)); double maxDq = 0, maxDqr = 0; double scaleR = Math.Sqrt(r64.robust.Average(q => q * q));
            for (int i = 0; i < r64.clean.Length; i++) {
                if ((r64.clean[i] <= 0) != (r32.clean[i] <= 0)) dc++;
                if ((r64.robust[i] <= 0) != (r32.robust[i] <= 0)) dr++;
                minAbsClean = Math.Min(minAbsClean, Math.Abs(r64.clean[i]));
                maxDq = Math.Max(maxDq, Math.Abs(r64.clean[i] - r32.clean[i]) / scale);
                maxDqr = Math.Max(maxDqr, Math.Abs(r64.robust[i] - r32.robust[i]) / scaleR);
            }
            TestContext.Out.WriteLine($"d={dd:G3} muf={muf} seed={seed} M={((GaussianMixture)spec.Data).Mu:G4} loss64={a.Evaluation!.RobustTrainLoss:G6} loss32={b.Evaluation!.RobustTrainLoss:G6} rel={Math.Abs(a.Evaluation.RobustTrainLoss-b.Evaluation.RobustTrainLoss)/a.Evaluation.RobustTrainLoss:G3} curveLast64={a.Training.Curve[^1].RobustLoss:G6} rel={Math.Abs(a.Training.Curve[^1].RobustLoss-b.Training.Curve[^1].RobustLoss)/a.Training.Curve[^1].RobustLoss:G3} clean={a.Evaluation.CleanTest.Errors}/{b.Evaluation.CleanTest.Errors} robust={a.Evaluation.RobustTest.Errors}/{b.Evaluation.RobustTest.Errors} trainRobErr={a.Evaluation.RobustTrain.Errors} | replay maxRelCurve={maxRelCurve:G3} dClean={dc} dRobust={dr} min|q|/rms={minAbsClean/scale:G3} rms={scale:G3} maxDq/rms={maxDq:G3} maxDqr/rms={maxDqr:G3} rmsR={scaleR:G3} t={t:F2}s");
        }
    }
}

public class HugeDimensionProbe
{
    [Test]
    public void Probe([Values(1e9, 1e12)] double dd, [Values(1ul, 3ul)] ulong seed)
    {
        long d = (long)dd; int n = 20;
        double mu = 2 * 0.1 * Math.Sqrt((double)d / n);
        var spec = new RunSpec { Data = new GaussianMixture(n, 500, d, mu, 0.1), Alpha = 0.1 * mu, Width = 40, Iterations = 100,
            TrainAttack = new PgdSettings(5), EvalAttack = new PgdSettings(10), Seed = seed, Mode = EmbeddingMode.RotationInvariant };
        var a = Simulator.Run(spec);
        var b = Simulator.Run(spec with { Precision = Precision.Single });
        TestContext.Out.WriteLine($"d={dd:G3} seed={seed} eta={a.LearningRate:G4} zeroGradTrain64={a.Training.ZeroGradientSteps} zero32={b.Training.ZeroGradientSteps} evalZero={a.Evaluation!.ZeroGradientSteps}/{b.Evaluation!.ZeroGradientSteps}");
        for (int t = 0; t < a.Training.Curve.Count; t += 1)
        {
            var (x, y) = (a.Training.Curve[t], b.Training.Curve[t]);
            if (t < 12 || t % 10 == 0) TestContext.Out.WriteLine($"t={t} loss64={x.RobustLoss:G8} loss32={y.RobustLoss:G8} rel={Math.Abs(x.RobustLoss - y.RobustLoss) / x.RobustLoss:G3} robErr={x.RobustError}/{y.RobustError} cleanErr={x.CleanError}/{y.CleanError} dist={x.WeightDistance:G6}/{y.WeightDistance:G6}");
        }
    }
}

public class HugeDimensionLockstep
{
    [Test]
    public void Lockstep([Values(1e12)] double dd, [Values(1ul)] ulong seed, [Values(5, 0)] int steps)
    {
        long d = (long)dd; int n = 20;
        double mu = 2 * 0.1 * Math.Sqrt((double)d / n);
        var spec = new RunSpec { Data = new GaussianMixture(n, 500, d, mu, 0.1), Alpha = 0.1 * mu, Width = 40, Iterations = 100,
            TrainAttack = new PgdSettings(steps), EvalAttack = new PgdSettings(10), Seed = seed, Mode = EmbeddingMode.RotationInvariant };
        var p64 = Simulator.Realize(spec, TestProblems.Gemm);
        var p32 = p64.Convert<float>();
        double eta = DefaultRules.LearningRate(p64.TrainX);
        var n64 = TwoLayerNetwork<double>.Symmetric(p64.InitialHalfRows, spec.Activation);
        var n32 = TwoLayerNetwork<float>.Symmetric(p32.InitialHalfRows, spec.Activation);
        var t64 = new AdversarialTrainer<double>(TestProblems.Gemm); var t32 = new AdversarialTrainer<float>(TestProblems.Gemm);
        var threat = new ThreatModel(spec.Alpha, spec.TrainAttack, p64.AmbientDimension);
        var rng = new Rng(1);
        var pg64 = new Pgd<double>(new MarginKernel<double>(TestProblems.Gemm)); var pg32 = new Pgd<float>(new MarginKernel<float>(TestProblems.Gemm));
        int m = 40, r = p64.R;
        var w0 = (double[])n64.Weights.Data.Clone();
        double prev = 0;
        for (int t = 0; t < 100; t++)
        {
            // the attack at this iteration, before the update
            var a64 = new AttackResult<double>(n, r); var a32 = new AttackResult<float>(n, r);
            pg64.Attack(n64, p64.TrainX.Data, n, p64.TrainY, threat, rng, a64, cleanMargins: true);
            pg32.Attack(n32, p32.TrainX.Data, n, p32.TrainY, threat, rng, a32, cleanMargins: true);
            // h at x+δ (f64 net, f64 δ): the minimum |h| relative to rms h, and sign mismatches between precisions
            int mism = 0; double minRel = double.MaxValue, maxDd = 0;
            double hrms = 0;
            var h64 = new double[n * m]; var h32 = new double[n * m];
            for (int i = 0; i < n; i++) for (int s = 0; s < m; s++)
            {
                double a = 0, b = 0;
                for (int j = 0; j < r; j++) { a += n64.Weights[s, j] * (p64.TrainX[i, j] + a64.Perturbations[i * r + j]); b += (double)n32.Weights[s, j] * ((double)p32.TrainX[i, j] + a32.Perturbations[i * r + j]); }
                h64[i * m + s] = a; h32[i * m + s] = b; hrms += a * a;
            }
            hrms = Math.Sqrt(hrms / (n * m));
            for (int k = 0; k < n * m; k++) { if ((h64[k] > 0) != (h32[k] > 0)) mism++; minRel = Math.Min(minRel, Math.Abs(h64[k]) / hrms); }
            for (int i = 0; i < n; i++) { double dd2 = 0, nn = 0; for (int j = 0; j < r; j++) { double e = a64.Perturbations[i * r + j] - a32.Perturbations[i * r + j]; dd2 += e * e; nn += a64.Perturbations[i * r + j] * a64.Perturbations[i * r + j]; } maxDd = Math.Max(maxDd, Math.Sqrt(dd2) / spec.Alpha); }
            if (maxDd > 0.01 && steps > 0)
            {
                int worst = 0; double wd = 0;
                for (int i = 0; i < n; i++) { double dd2 = 0; for (int j = 0; j < r; j++) { double e = a64.Perturbations[i * r + j] - a32.Perturbations[i * r + j]; dd2 += e * e; } if (dd2 > wd) { wd = dd2; worst = i; } }
                for (int k = 0; k <= steps; k++)
                {
                    var th = threat with { Search = new PgdSettings(k, StepSize: spec.TrainAttack.EffectiveStepSize(spec.Alpha)) };
                    var b64 = new AttackResult<double>(n, r); var b32 = new AttackResult<float>(n, r);
                    pg64.Attack(n64, p64.TrainX.Data, n, p64.TrainY, th, rng, b64);
                    pg32.Attack(n32, p32.TrainX.Data, n, p32.TrainY, th, rng, b32);
                    double nd = 0; for (int j = 0; j < r; j++) { double e = b64.Perturbations[worst * r + j] - b32.Perturbations[worst * r + j]; nd += e * e; }
                    TestContext.Out.WriteLine($"   point {worst} K={k}: best q64={b64.Margins[worst]:R} q32={b32.Margins[worst]:R} |δ64-δ32|/α={Math.Sqrt(nd) / spec.Alpha:G3}");
                }
                return;
            }
            t64.Train(n64, p64.TrainX, p64.TrainY, threat, new TrainingSettings(1, eta), rng);
            t32.Train(n32, p32.TrainX, p32.TrainY, threat, new TrainingSettings(1, eta), rng);
            double num = 0, den = 0;
            for (int k = 0; k < w0.Length; k++) { double e = n64.Weights.Data[k] - n32.Weights.Data[k]; num += e * e; double u = n64.Weights.Data[k] - w0[k]; den += u * u; }
            double rel = Math.Sqrt(num / den);
            if (t < 3 || rel > 3 * prev || t % 10 == 0) TestContext.Out.WriteLine($"steps={steps} t={t} relW(update)={rel:G3} hSignMismatch={mism} min|h|/rms={minRel:G3} hrms={hrms:G3} max|δ64-δ32|/α={maxDd:G3}");
            prev = Math.Max(prev, rel);
        }
    }
}

public class HugeDimensionGramExplore
{
    [Test]
    public void Gram([Values(1e6, 1e9, 1e12, 1e15)] double dd)
    {
        long d = (long)dd; const double sigma = 1.5; double mu = Math.Pow(dd, 0.25) ;
        double omega = 1e-3 / Math.Sqrt(dd);
        var g = new GaussianMixture(N: 40, NTest: 1, D: d, Mu: mu, Beta: 0, Sigma: sigma);
        var zn = new List<double>(); var zn32 = new List<double>(); var zi = new List<double>(); var zw = new List<double>(); var zwn = new List<double>();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        double s2 = sigma * sigma;
        for (ulong s = 0; s < 500; s++)
        {
            var p = RotationInvariantSampler.Sample(g, width: 80, omega, s);
            var x = p.TrainX; var u = p.InitialHalfRows; int r = p.R;
            double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) { double t = 0; for (int k = 0; k < a.Length; k++) t += a[k] * b[k]; return t; }
            double Dot32(ReadOnlySpan<double> a) { double t = 0; for (int k = 0; k < a.Length; k++) { double f = (float)a[k]; t += f * f; } return t; }
            for (int i = 0; i < 40; i++)
            {
                double nx = Dot(x.Row(i), x.Row(i));
                zn.Add((nx - dd * s2 - mu * mu) / Math.Sqrt(2 * dd * s2 * s2 + 4 * mu * mu * s2));
                zn32.Add((Dot32(x.Row(i)) - dd * s2 - mu * mu) / Math.Sqrt(2 * dd * s2 * s2 + 4 * mu * mu * s2));
                zw.Add(Dot(u.Row(i), x.Row(i)) / (omega * Math.Sqrt(nx)));
                zwn.Add((Dot(u.Row(i), u.Row(i)) - omega * omega * dd) / (omega * omega * Math.Sqrt(2 * dd)));
            }
            for (int i = 0; i < 40; i += 2)
                zi.Add((p.TrainYClean[i] * p.TrainYClean[i + 1] * Dot(x.Row(i), x.Row(i + 1)) - mu * mu) / Math.Sqrt(2 * mu * mu * s2 + dd * s2 * s2));
        }
        void Show(string name, List<double> v) { double m = v.Average(), var = v.Sum(z => (z - m) * (z - m)) / (v.Count - 1); TestContext.Out.WriteLine($"d={dd:G3} {name}: N={v.Count} mean={m:F4} (4/√N={4 / Math.Sqrt(v.Count):F4}) var={var:F4} (6√(2/N)={6 * Math.Sqrt(2.0 / v.Count):F4})"); }
        Show("||x||²", zn); Show("||x||² f32-cast", zn32); Show("<xi,xj>", zi); Show("<w,x>/(ω||x||)", zw); Show("||w||²", zwn);
        TestContext.Out.WriteLine($"  {sw.Elapsed.TotalSeconds:F2}s");
    }
}
