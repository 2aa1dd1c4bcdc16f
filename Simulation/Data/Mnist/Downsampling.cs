namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// 28×28 → k×k by area averaging: each output pixel is the mean of a (28/k)×(28/k) block, on the
/// [0, 1] scale (byte / 255). Only divisors of 28 give whole blocks; the paper's choices are 7, 14, 28.
/// </summary>
internal static class Downsampling
{
    public static readonly IReadOnlyList<int> Resolutions = [7, 14, 28];

    public static bool IsSupported(int k) => k is 7 or 14 or 28;

    public static void Apply(ReadOnlySpan<byte> image, int k, Span<double> target)
    {
        const int side = ZeroOneDigits.Side;
        if (image.Length != side * side) throw new ArgumentException($"an image has {side * side} pixels, got {image.Length}", nameof(image));
        if (!IsSupported(k)) throw new ArgumentOutOfRangeException(nameof(k), k, "resolution must be 7, 14 or 28");
        if (target.Length != k * k) throw new ArgumentException($"target must have {k * k} entries, got {target.Length}", nameof(target));
        int block = side / k;
        double scale = 1.0 / (255.0 * block * block);
        for (int r = 0; r < k; r++)
            for (int c = 0; c < k; c++)
            {
                int sum = 0;
                for (int i = 0; i < block; i++)
                {
                    var line = image.Slice((r * block + i) * side + c * block, block);
                    foreach (byte b in line) sum += b;
                }
                target[r * k + c] = sum * scale;
            }
    }
}
