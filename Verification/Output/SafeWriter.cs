using System.Text;

namespace Verify.Verification.Output;

/// <summary>
/// The console streams verify writes to, telling a reader that went away from output that was lost.
/// <list type="bullet">
/// <item>A closed pipe (EPIPE: the reader ended, as `verify check | head -1` does) or a closed stream
/// (`&gt;&amp;-`, EBADF, which .NET reports as UnauthorizedAccessException; a disposed writer) is swallowed:
/// the user chose not to read the rest, and the exit code still tells the outcome. (.NET's console already
/// ignores EPIPE; the check here covers any other stream.)</item>
/// <item>Any other failure (ENOSPC on /dev/full or a full disk, EIO, EFBIG, EDQUOT …) means output the user
/// asked for is lost: it is kept in <see cref="Failure"/>, later writes are skipped, and the command line
/// ends with exit code 74 (EX_IOERR) and "error: could not write to standard output: …".</item>
/// </list>
/// </summary>
internal sealed class SafeWriter(TextWriter inner) : TextWriter
{
    /// <summary>errno EPIPE on Linux and macOS, which .NET gives as the IOException's HResult; ERROR_BROKEN_PIPE on Windows.</summary>
    private const int BrokenPipe = 32, WindowsBrokenPipe = unchecked((int)0x8007006D);

    public override Encoding Encoding => inner.Encoding;

    /// <summary>The first write that lost output (not a closed pipe or stream), or null.</summary>
    public IOException? Failure { get; private set; }

    public override void Write(char value) => Try(() => inner.Write(value));
    public override void Write(string? value) => Try(() => inner.Write(value));
    public override void Write(char[] buffer, int index, int count) => Try(() => inner.Write(buffer, index, count));
    public override void WriteLine(string? value) => Try(() => inner.WriteLine(value));
    public override void Flush() => Try(inner.Flush);

    private void Try(Action write)
    {
        if (Failure is not null) return; // the output is already incomplete: one failure is reported, not thousands attempted
        try { write(); }
        catch (IOException ex) when (ex.HResult is BrokenPipe or WindowsBrokenPipe) { }
        catch (IOException ex) { Failure = ex; }
        catch (ObjectDisposedException) { }
        catch (UnauthorizedAccessException) { } // what .NET reports for a closed file descriptor
    }
}
