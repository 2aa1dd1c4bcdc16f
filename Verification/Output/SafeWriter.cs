using System.Text;

namespace Verify.Verification.Output;

/// <summary>
/// A console stream that swallows the errors of a closed or broken stream: what verify prints is for the
/// user, and a user who closed the stream chose not to read it; the exit code still tells the outcome.
/// </summary>
internal sealed class SafeWriter(TextWriter inner) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Try(() => inner.Write(value));
    public override void Write(string? value) => Try(() => inner.Write(value));
    public override void Write(char[] buffer, int index, int count) => Try(() => inner.Write(buffer, index, count));
    public override void WriteLine(string? value) => Try(() => inner.WriteLine(value));
    public override void Flush() => Try(inner.Flush);

    private static void Try(Action write)
    {
        try { write(); }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        catch (UnauthorizedAccessException) { } // what .NET reports for a closed file descriptor
    }
}
