using System.Diagnostics;
using Spectre.Console;
using Verify.Verification.Text;

namespace Verify.Verification.Output;

/// <summary>
/// Progress for long work: a live bar with ETA on a terminal, a plain line every few seconds
/// otherwise (logs, CI, Slurm output files).
/// </summary>
internal sealed class ProgressReporter
{
    private readonly CliContext _ctx;
    private readonly TimeSpan _plainInterval;

    public ProgressReporter(CliContext ctx, TimeSpan? plainInterval = null)
    {
        _ctx = ctx;
        _plainInterval = plainInterval ?? TimeSpan.FromSeconds(10);
    }

    /// <summary>
    /// Runs <paramref name="work"/>, which reports (done, total, note) through the callback it receives.
    /// <paramref name="interrupted"/> tells from the result whether the work was stopped (then the last line says so, not "done").
    /// </summary>
    public T Run<T>(string title, Func<Action<double, double, string>, T> work, Func<T, bool>? interrupted = null)
    {
        if (_ctx.Interactive)
        {
            T result = default!;
            _ctx.Console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(p =>
                {
                    var task = p.AddTask(Markup.Escape(title), maxValue: 1);
                    double? baseline = null; // what was done before this work started (reused results): outside the bar, so that the ETA is this work's
                    result = work((done, total, note) =>
                    {
                        baseline ??= done;
                        task.MaxValue = Math.Max(total - baseline.Value, 1e-12);
                        task.Value = done - baseline.Value;
                        task.Description = Markup.Escape(string.IsNullOrEmpty(note) ? title : $"{title}: {note}");
                    });
                });
            return result;
        }

        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        bool first = true;   // the first report says what is reused and what is to do: always shown
        double baseline = 0; // done at the first report (reused results): the ETA is from the rate of this work only
        _ctx.Error.WriteLine($"{title}: started");
        var value = work((done, total, note) =>
        {
            var now = clock.Elapsed;
            if (first) baseline = done;
            if (!first && now - last < _plainInterval && done < total) return;
            first = false;
            last = now;
            string eta = done > baseline && done < total ? $", ETA {Fmt.Duration(now.TotalSeconds * (total - done) / (done - baseline))}" : "";
            _ctx.Error.WriteLine($"{title}: {done:0.#}/{total:0.#} ({100 * done / Math.Max(total, 1e-12):0}%), {Fmt.Duration(now.TotalSeconds)} elapsed{eta}{(string.IsNullOrEmpty(note) ? "" : ", " + note)}");
        });
        _ctx.Error.WriteLine(interrupted?.Invoke(value) == true
            ? $"{title}: interrupted after {Fmt.Duration(clock.Elapsed.TotalSeconds)}"
            : $"{title}: done in {Fmt.Duration(clock.Elapsed.TotalSeconds)}");
        return value;
    }
}
