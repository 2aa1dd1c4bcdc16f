using System.CommandLine;
using Verify.Simulation.Kernels;
using Verify.Verification.Downloads;
using Verify.Verification.Kernels;
using Verify.Verification.Output;

namespace Verify.Verification.Commands;

/// <summary>
/// The `verify` command line. <see cref="Run"/> is the whole program: tests call it with their own
/// writers. Every failure the user can cause ends as one line on stderr and exit code 2.
/// </summary>
internal static class VerifyCli
{
    /// <param name="interactive">Whether stdout is a terminal (live progress bars, colours); tests pass their own writers and leave it false.</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        var ctx = new CliContext(stdout, stderr, interactive);
        var root = new RootCommand("Verify: check the theory of benign overfitting in adversarial training against experiment.")
        {
            CheckCommand.Create(ctx),
            TrainCommand.Create(ctx),
            RunCommand.Create(ctx),
            MergeCommand.Create(ctx),
            ReportCommand.Create(ctx),
            BoundaryCommand.Create(ctx),
            SubmitCommand.Create(ctx),
            StatusCommand.Create(ctx),
            DataCommand.Create(ctx),
            BaselineCommand.Create(ctx),
            RegressCommand.Create(ctx),
            BenchCommand.Create(ctx),
            BlasProbeCommand.Create(ctx),
        };

        var commands = root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (args.Length == 0 || (!args[0].StartsWith('-') && root.Subcommands.All(c => c.Name != args[0])))
        {
            stderr.WriteLine(args.Length == 0
                ? $"error: no command given; the commands are {string.Join(", ", commands)} (verify --help describes them)"
                : $"error: unknown command '{args[0]}'; the commands are {string.Join(", ", commands)} (verify --help describes them)");
            return ExitCodes.BadInput;
        }
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine($"error: {parse.Errors[0].Message} (run with --help to see the options and their allowed values)");
            return ExitCodes.BadInput;
        }
        try
        {
            using var backend = ConfigureBackend(parse, stderr);
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (Unwrap(ex) is InvalidInputException)
        {
            stderr.WriteLine($"error: {Unwrap(ex).Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"internal error ({Unwrap(ex).GetType().Name}): {Unwrap(ex).Message}");
            stderr.WriteLine("       this is a bug in verify; please report it with the command line you ran.");
            return ExitCodes.Internal;
        }
    }

    /// <summary>
    /// The kernel choice of a command that trains (--blas, else VERIFY_BLAS, else auto), made on first use.
    /// OpenBLAS is first tried in a child verify (<see cref="ChildProbe"/>: a crashing kernel costs a warning,
    /// not the run); the verdict and an auto choice's calibration are kept in the cache folder (see
    /// <see cref="CacheLocation"/>) when there is one and it can be written.
    /// </summary>
    private static IDisposable? ConfigureBackend(ParseResult parse, TextWriter stderr)
    {
        if (parse.CommandResult.Command.Options.OfType<Option<string>>().FirstOrDefault(o => o.Name == OptionFactory.BlasName) is not { } option) return null;
        var choice = parse.GetValue(option) is { } given ? BlasChoices.Parse(given, OptionFactory.BlasName) : Backend.FromEnvironment();
        Action<string> warn = w => stderr.WriteLine(w);
        CalibrationFile? store;
        try { store = new CalibrationFile(Path.Combine(CacheLocation.Root(), CacheLocation.CalibrationFile), warn); }
        catch (InvalidInputException) { store = null; } // no usable cache folder: `verify data` reports it; calibrate without a cache
        return Backend.Configure(choice, new BackendContext(store, new ChildProbe()), warn);
    }

    private static Exception Unwrap(Exception ex) =>
        ex is AggregateException { InnerExceptions.Count: 1 } agg ? Unwrap(agg.InnerExceptions[0])
        : ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) : ex;
}
