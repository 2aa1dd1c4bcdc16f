namespace Verify.Simulation.Data.Mnist;

/// <summary>
/// The two IDX layouts MNIST uses (LeCun's site): a big-endian magic number 0x0000TTNN (TT = 08 for
/// unsigned bytes, NN = number of dimensions), then one big-endian int32 per dimension, then the data.
/// </summary>
internal static class IdxFormat
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;
    public const int ImagesHeaderBytes = 16;
    public const int LabelsHeaderBytes = 8;

    internal static string Describe(int magic) => magic switch
    {
        ImagesMagic => "0x00000803 (IDX images: unsigned bytes, 3 dimensions)",
        LabelsMagic => "0x00000801 (IDX labels: unsigned bytes, 1 dimension)",
        _ => $"0x{magic:X8}",
    };
}
