using System.Text;
using Verify.Simulation.Files;

namespace Verify.Verification.Cluster;

/// <summary>
/// A task's log as `verify status` reads it: only a regular file (a FIFO would block the reader, a device such as
/// /dev/zero never ends), and only its first and last <see cref="Part"/> bytes, so that any log, however large or
/// still growing, is read in bounded time and memory.
/// </summary>
internal static class TaskLog
{
    /// <summary>
    /// How much of each end is read: the start line ("verify-task J_I: shard …") is the first line, the end line
    /// ("verify-task J_I: exit N") the last, and the progress lines of a long sweep in between are not needed.
    /// </summary>
    public const int Part = 64 * 1024;

    /// <summary>
    /// The text of the log's head and tail (the whole log when it is at most 2 × <see cref="Part"/>), null when there
    /// is no log yet; or why it cannot be read (then Text is null), in one line naming the file.
    /// </summary>
    public static (string? Text, string? Problem) Read(string path)
    {
        if (!File.Exists(path) && InputFile.Kind(path) is null) return (null, null); // not started yet: no log
        try
        {
            using var s = InputFile.OpenRead(path, "the task log", long.MaxValue);
            byte[] head = ReadUpTo(s, 2 * Part);
            if (head.Length < 2 * Part) return (Decode(head), null);
            // Longer than both parts (or growing as it is read): the head, and the last Part bytes from its whole lines on.
            long length = s.Length;
            if (length <= 2 * Part) return (Decode(head), null);
            s.Seek(length - Part, SeekOrigin.Begin);
            string tail = Decode(ReadUpTo(s, Part));
            int cut = tail.IndexOf('\n');
            return (Decode(head[..Part]) + "\n" + (cut < 0 ? "" : tail[(cut + 1)..]), null);
        }
        catch (InvalidInputException ex)
        {
            return (null, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"the task log '{InputFile.Printable(path)}' cannot be read ({ex.Message})");
        }
    }

    private static byte[] ReadUpTo(Stream s, int count)
    {
        var buffer = new byte[count];
        int total = 0, read;
        while (total < count && (read = s.Read(buffer, total, count - total)) > 0) total += read;
        return buffer[..total];
    }

    private static string Decode(byte[] bytes) => new UTF8Encoding(false).GetString(bytes);
}
