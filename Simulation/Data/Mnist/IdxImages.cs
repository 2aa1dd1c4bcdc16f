namespace Verify.Simulation.Data.Mnist;

/// <summary>Decoded IDX images: <see cref="Count"/> images of Rows×Cols unsigned bytes, row-major, image after image.</summary>
internal sealed record IdxImages(int Count, int Rows, int Cols, byte[] Pixels)
{
    public int PixelsPerImage => Rows * Cols;
    public ReadOnlySpan<byte> Image(int i) => Pixels.AsSpan(i * PixelsPerImage, PixelsPerImage);
}
