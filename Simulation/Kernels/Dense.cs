namespace Verify.Simulation.Kernels;

/// <summary>A row-major dense matrix over a flat array (what BLAS wants, nothing more).</summary>
public sealed class Dense<T>(int rows, int cols, T[] data) where T : struct
{
    public Dense(int rows, int cols) : this(rows, cols, new T[checked(rows * cols)]) { }

    public int Rows { get; } = rows;
    public int Cols { get; } = cols;
    public T[] Data { get; } = data.Length >= rows * cols ? data : throw new ArgumentException("data too short");

    public Span<T> Row(int i) => Data.AsSpan(i * Cols, Cols);
    public ref T this[int i, int j] => ref Data[i * Cols + j];
    public Dense<T> Clone() => new(Rows, Cols, (T[])Data.Clone());
}
