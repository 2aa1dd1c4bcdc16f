using Verify.Simulation.Files;
using System.CommandLine;
using Verify.Simulation.Kernels;
using Verify.Verification.Downloads;
using Verify.Verification.Kernels;
using Verify.Verification.Output;
using Verify.Verification.Settings;

namespace Verify.Verification.Commands;

/// <summary>
/// The `verify` command line. <see cref="Run"/> is the whole program: tests call it with their own
/// writers. Every failure the user can cause ends as one line on stderr (<see cref="ErrorLine"/>) and exit
/// code 2; a run that fails, 3; output lost on stdout, 74.
/// </summary>
internal static class VerifyCli
{
    /// <param name="interactive">Whether stdout is a terminal (live progress bars, colours); tests pass their own writers and leave it false.</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        var output = stdout as SafeWriter ?? new SafeWriter(stdout);
        int code = Execute(args, output, stderr, interactive);
        output.Flush();
        // Lost output turns success (or a failed check, whose details were lost) into an I/O error; a command that
        // failed on its own keeps its code and its one error line.
        if (output.Failure is { } lost && code is ExitCodes.Ok or ExitCodes.CheckFailed)
        {
            stderr.WriteLine(ErrorLine.Of($"could not write to standard output: {InputFile.Reason(lost)}; the output is incomplete"));
            return ExitCodes.OutputFailed;
        }
        return code;
    }

    private static int Execute(string[] args, TextWriter stdout, TextWriter stderr, bool interactive)
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
            stderr.WriteLine(ErrorLine.Of(args.Length == 0
                ? $"no command given; the commands are {string.Join(", ", commands)} (verify --help describes them)"
                : $"unknown command '{args[0]}'; the commands are {string.Join(", ", commands)} (verify --help describes them)"));
            return ExitCodes.BadInput;
        }
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            stderr.WriteLine(ErrorLine.Of($"{parse.Errors[0].Message} (run with --help to see the options and their allowed values)"));
            return ExitCodes.BadInput;
        }
        try
        {
            using var backend = ConfigureBackend(parse, stderr);
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (Unwrap(ex) is InvalidInputException)
        {
            stderr.WriteLine(ErrorLine.Of(Unwrap(ex).Message));
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (Unwrap(ex) is Sweeps.RunFailedException)
        {
            stderr.WriteLine(ErrorLine.Of(Unwrap(ex).Message));
            return ExitCodes.RunFailed;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"internal error ({Unwrap(ex).GetType().Name}): {ErrorLine.OneLine(Unwrap(ex).Message)}");
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

    /// <summary>
    /// The exception that says what happened. Of several (parallel runs that failed together), the most telling:
    /// a run's failure (its results folder stopped taking files), then bad input, then any other, before a cancellation.
    /// </summary>
    private static Exception Unwrap(Exception ex) =>
        ex is AggregateException { InnerExceptions.Count: > 0 } agg ? agg.InnerExceptions.Select(Unwrap).OrderBy(Rank).First()
        : ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? Unwrap(inner) : ex;

    private static int Rank(Exception ex) => ex switch
    {
        Sweeps.RunFailedException => 0,
        InvalidInputException => 1,
        OperationCanceledException => 3,
        _ => 2,
    };
}
