using Verify.Simulation.Settings;
using Verify.Simulation.Data;
using Verify.Simulation.Kernels;
using Verify.Simulation.Randomness;

namespace Verify.Simulation.Embedding;

/// <summary>
/// Samples a Gaussian-mixture run directly in coordinates, at a cost independent of d (docs/design.md, "Exact reductions" (b)).
/// Every quantity training sees is an inner product, so it suffices to sample the joint law of the
/// k = m/2 + n random vectors (initial rows ω·g_s, training noise σ·ξ_i) in the basis
/// (e_1, q_1, …, q_k): their e_1 coordinates are independent normals, and their components orthogonal
/// to e_1, a k×(d−1) standard Gaussian matrix G = L·Q, have the Bartlett factor L — lower triangular,
/// L_jj ~ χ_{d−1−j} (j = 0, 1, …), L_jl ~ N(0, 1) below the diagonal, all independent.
/// A test point's coordinates in the same basis are y_c·M + σ·z_0 and σ·z_1..z_k with fresh normals
/// (its projection onto any fixed orthonormal set is standard normal); its remaining d − k − 1
/// coordinates meet no weight. R = k + 1, AmbientDimension = d (random PGD starts need it).
/// It needs isotropic Gaussian noise, and a label rule that reads at most ξ_1 (random, margin, confident); other
/// data are refused with an error naming the setting (<see cref="GaussianMixture.RotationInvariantRefusal"/>).
/// </summary>
internal static class RotationInvariantSampler
{
    public static CoordinateProblem<double> Sample(GaussianMixture data, int width, double omega, ulong seed)
    {
        data.Validate();
        if (data.RotationInvariantRefusal() is { } refusal) throw refusal;
        // Gaussian noise, and a rule that reads only ξ_1 (random, margin, confident): ξ_1 is sampled explicitly below.
        var rule = data.Rule(data.Law());
        Span<double> xi1 = stackalloc double[1];
        int half = width / 2, n = data.N, k = half + n, r = k + 1;
        if (data.D - 1 < k)
            throw InvalidInputException.MustBe(Keys.Mode.Name, Keys.Mode.Format(EmbeddingMode.RotationInvariant), $"used only when d > n + m/2 (here d = {data.D}, n + m/2 = {k})");
        double dm1 = data.D - 1.0;

        // Initial rows: rows 0..half−1 of the Bartlett factor, from the initialization stream.
        var initRng = SeedStreams.For(seed, RandomStream.Initialization);
        var v0 = new Dense<double>(half, r);
        for (int s = 0; s < half; s++)
        {
            var row = v0.Row(s);
            row[0] = omega * initRng.NextNormal();
            BartlettRow(initRng, s, dm1, row[1..], omega);
        }

        // Training inputs: labels as the full-d path draws them, then rows half..k−1 of the factor.
        var trainRng = SeedStreams.For(seed, RandomStream.TrainingData);
        var (y, yc) = data.SampleLabels(trainRng, n);
        var z = new Dense<double>(n, r);
        for (int i = 0; i < n; i++)
        {
            var row = z.Row(i);
            xi1[0] = data.Sigma * trainRng.NextNormal();
            GaussianMixture.Flip(rule, ref y[i], yc[i], xi1);
            row[0] = yc[i] * data.Mu + xi1[0];
            BartlettRow(trainRng, half + i, dm1, row[1..], data.Sigma);
        }

        var testRng = SeedStreams.For(seed, RandomStream.TestData);
        var (ty, tyc) = data.SampleLabels(testRng, data.NTest);
        var tx = new Dense<double>(data.NTest, r);
        for (int i = 0; i < data.NTest; i++)
        {
            var row = tx.Row(i);
            testRng.FillNormal(row, data.Sigma);
            GaussianMixture.Flip(rule, ref ty[i], tyc[i], row);
            row[0] += tyc[i] * data.Mu;
        }

        return new CoordinateProblem<double>(EmbeddingMode.RotationInvariant, r, data.D, z, y, yc, v0, tx, ty, tyc, data.Name);
    }

    /// <summary>Row j of the Bartlett factor times <paramref name="scale"/>: j normals, then χ_{ν−j}, then zeros.</summary>
    private static void BartlettRow(Rng rng, int j, double nu, Span<double> target, double scale)
    {
        for (int l = 0; l < j; l++) target[l] = scale * rng.NextNormal();
        target[j] = scale * Math.Sqrt(rng.NextChiSquared(nu - j));
        target[(j + 1)..].Clear();
    }
}
