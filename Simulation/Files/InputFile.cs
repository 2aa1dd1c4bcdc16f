using System.Globalization;
using Microsoft.Win32.SafeHandles;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Verify.Simulation.Files;

/// <summary>
/// Reading a file that a user, another process or a scheduler supplied: only a regular file (a FIFO would
/// block the reader forever, a device such as /dev/zero never ends, a folder is not a file), and only up to
/// a limit stated per kind of file, so that a wrong path is a one-line error and never a hang or an
/// out-of-memory. A missing file is left to the caller (the usual FileNotFoundException), as before.
/// </summary>
public static partial class InputFile
{
    public const long KiB = 1024, MiB = 1024 * KiB;

    /// <summary>The deepest nesting of objects and lists verify's JSON readers accept (System.Text.Json's default depth).</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>
    /// The whole file as text (UTF-8, or as its byte-order mark says: the same decoding as File.ReadAllText);
    /// <paramref name="what"/> names it in errors ("the experiment file").
    /// </summary>
    public static string ReadAllText(string path, string what, long maxBytes) => Decode(ReadAllBytes(path, what, maxBytes));

    /// <summary>
    /// The whole file as text, for a JSON reader: refused, naming the file and the line, when its objects and lists
    /// nest deeper than <see cref="MaxJsonDepth"/> (the readers would otherwise say only that they could not parse it).
    /// Other syntax errors are left to the reader, which names them.
    /// </summary>
    public static string ReadJsonText(string path, string what, long maxBytes)
    {
        byte[] bytes = ReadAllBytes(path, what, maxBytes);
        CheckJsonDepth(bytes, $"{what} '{Printable(path)}'");
        return Decode(bytes);
    }

    /// <summary>
    /// Throws when the UTF-8 JSON in <paramref name="utf8"/> opens an object or list deeper than
    /// <see cref="MaxJsonDepth"/>; <paramref name="where"/> names the document ("baseline file 'b.json'").
    /// Scanned without recursion, so any depth costs one pass and no stack.
    /// </summary>
    public static void CheckJsonDepth(ReadOnlySpan<byte> utf8, string where)
    {
        if (utf8.StartsWith(Utf8Bom)) utf8 = utf8[Utf8Bom.Length..];
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            MaxDepth = MaxJsonDepth + 2, // past the limit, so that the reader itself never stops first
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        long at = -1;
        try
        {
            while (reader.Read())
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= MaxJsonDepth)
                {
                    at = reader.TokenStartIndex;
                    break;
                }
        }
        catch (JsonException) { return; } // a syntax error before any excess depth: the reader reports it
        if (at < 0) return;
        int line = 1 + utf8[..(int)at].Count((byte)'\n');
        throw new InvalidInputException($"{where} nests objects and lists more than {MaxJsonDepth} levels deep (line {line}): " +
                                        $"verify reads JSON up to {MaxJsonDepth} levels; the file is damaged or not one of verify's");
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    public static byte[] ReadAllBytes(string path, string what, long maxBytes)
    {
        using var s = OpenRead(path, what, maxBytes);
        var buffer = new MemoryStream();
        // Bounded even when the reported length lies (a file that grows while it is read).
        var chunk = new byte[81920];
        int read;
        while ((read = s.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(path, what, buffer.Length + read, maxBytes, atLeast: true);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>A stream over a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    public static FileStream OpenRead(string path, string what, long maxBytes)
    {
        if (Kind(path) is { } kind) throw NotRegular(path, what, kind);
        var s = OpenChecked(path, what) ?? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (s.Length > maxBytes)
        {
            long length = s.Length;
            s.Dispose();
            throw TooLarge(path, what, length, maxBytes, atLeast: false);
        }
        return s;
    }

    private static InvalidInputException NotRegular(string path, string what, string kind) =>
        new($"{what} '{Printable(path)}' is {kind}: verify reads only regular files");

    /// <summary>
    /// The file opened without blocking (O_NONBLOCK) and its kind checked on the descriptor itself, so that a FIFO
    /// put in the path's place after <see cref="Kind"/> looked is refused too, not waited on; null where this
    /// cannot be done (another system, or open failed: the caller's FileStream then reports why, as usual).
    /// </summary>
    internal static FileStream? OpenChecked(string path, string what)
    {
        int flags;
        if (OperatingSystem.IsLinux()) flags = 0x800 | 0x80000;          // O_RDONLY | O_NONBLOCK | O_CLOEXEC
        else if (OperatingSystem.IsMacOS()) flags = 0x4 | 0x1000000;    // the same on macOS
        else return null;
        if (StatLayout() is not { } layout) return null;
        int fd;
        try { fd = Native.open(path, flags); }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException) { return null; }
        if (fd < 0) return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var buffer = new byte[512];
        uint? mode = null;
        try
        {
            if (Native.fstat(fd, buffer) == 0) mode = Mode(buffer, layout);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException) { }
        if (mode is { } m && (m & 0xF000) != 0x8000)
        {
            handle.Dispose();
            throw NotRegular(path, what, KindOf(m) ?? "not a regular file");
        }
        return new FileStream(handle, FileAccess.Read);
    }

    /// <summary>
    /// What the path is when it exists and is not a regular file ("a folder", "a FIFO", "a character
    /// device", ...), following links; null for a regular file, a missing path, or where it cannot be told.
    /// </summary>
    public static string? Kind(string path)
    {
        if (Directory.Exists(path)) return "a folder";
        return StatMode(path) is { } m ? KindOf(m) : null;
    }

    private static string? KindOf(uint mode) => (mode & 0xF000) switch
    {
        0x8000 => null,
        0x4000 => "a folder",
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "not a regular file",
    };

    /// <summary>A size for messages: exact below 10 KiB, else in KiB or MiB to one decimal ("16 MiB").</summary>
    public static string Size(long bytes) => bytes >= 10 * MiB
        ? (bytes / (double)MiB).ToString("0.#", CultureInfo.InvariantCulture) + " MiB"
        : bytes >= 10 * KiB ? (bytes / (double)KiB).ToString("0.#", CultureInfo.InvariantCulture) + " KiB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

    private static InvalidInputException TooLarge(string path, string what, long bytes, long max, bool atLeast) =>
        new($"{what} '{Printable(path)}' is larger than the {Size(max)} allowed for it (it has {(atLeast ? "at least " : "")}{Size(bytes)})");

    /// <summary>A path as one printable line (an error is one line, whatever the path holds).</summary>
    public static string Printable(string path) => new(path.Select(ch => char.IsControl(ch) ? '?' : ch).ToArray());

    /// <summary>The system's reason for a failed read or write, without the (temporary) path .NET appends to it: "No space left on device".</summary>
    public static string Reason(Exception ex)
    {
        if (ex is UnauthorizedAccessException) return "permission denied";
        if (ex is DirectoryNotFoundException) return "its folder does not exist or cannot be made";
        string reason = PathSuffix().Replace(ex.Message, "").TrimEnd('.', ' ');
        return reason.Length > 0 ? reason : ex.GetType().Name;
    }

    // .NET on Unix: "<strerror> : '<path>'"; a file name of its own in other messages.
    [GeneratedRegex(@"\s*:\s*'[^']*'\s*$")]
    private static partial Regex PathSuffix();

    // st_mode via stat(2): .NET does not expose the file type, and FileInfo calls a FIFO and /dev/zero "Normal".
    private static uint? StatMode(string path)
    {
        if (StatLayout() is not { } layout) return null;
        var buffer = new byte[512];
        try
        {
            if (Native.stat(path, buffer) != 0) return null;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
        return Mode(buffer, layout);
    }

    /// <summary>Where st_mode sits in struct stat, and its width, on this system; null where unknown.</summary>
    private static (int Offset, int Width)? StatLayout()
    {
        if (OperatingSystem.IsMacOS()) return (4, 2);
        if (!OperatingSystem.IsLinux()) return null;
        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (24, 4),
            Architecture.Arm64 or Architecture.LoongArch64 or Architecture.RiscV64 => (16, 4),
            _ => null,
        };
    }

    private static uint Mode(byte[] stat, (int Offset, int Width) layout) =>
        layout.Width == 4 ? BitConverter.ToUInt32(stat, layout.Offset) : BitConverter.ToUInt16(stat, layout.Offset);

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fstat(int fd, byte[] buffer);
    }
}
