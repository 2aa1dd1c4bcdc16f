using CsCheck;
using Verify.Simulation.Kernels;

namespace Verify.Simulation.Tests;

/// <summary>The SIMD element-wise loops give the plain loops' bits, for every length (vector body and scalar tail).</summary>
public class ElementwiseTests
{
    private static readonly Gen<double[]> Values = Gen.Double[-1e3, 1e3].Array[0, 70];

    [Test]
    public void Add_subtract_scaled_and_scale_equal_the_plain_loops_in_double() =>
        Gen.Select(Values, Gen.Double[-10, 10]).ForAll((a, c) => Check(a, c));

    [Test]
    public void Add_subtract_scaled_and_scale_equal_the_plain_loops_in_single() =>
        Gen.Select(Values, Gen.Float[-10, 10]).ForAll((a, c) => Check(Array.ConvertAll(a, v => (float)v), c));

    private static void Check<T>(T[] a, T c) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var b = a.Select((v, i) => T.Sin(T.CreateTruncating(i) + v)).ToArray();
        var sum = new T[a.Length];
        Elementwise.Add<T>(a, b, sum);
        var step = (T[])a.Clone();
        Elementwise.SubtractScaled<T>(step, c, b);
        var scaled = (T[])a.Clone();
        Elementwise.Scale<T>(scaled, c);
        for (int j = 0; j < a.Length; j++)
            if (sum[j] != a[j] + b[j] || step[j] != a[j] - c * b[j] || scaled[j] != a[j] * c)
                throw new Exception($"element {j} of {a.Length} ({typeof(T).Name})");
    }

    [Test]
    public void Longer_sources_are_read_only_as_far_as_the_destination()
    {
        var dst = new double[5];
        Elementwise.Add<double>(new double[] { 1, 2, 3, 4, 5, 6, 7 }, new double[] { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, dst);
        Assert.That(dst, Is.EqualTo(new double[] { 2, 3, 4, 5, 6 }));
    }
}
