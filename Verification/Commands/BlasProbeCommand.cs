using System.CommandLine;
using System.Text.Json;
using Verify.Simulation.Kernels;
using Verify.Verification.Kernels;
using Verify.Verification.Output;

namespace Verify.Verification.Commands;

/// <summary>
/// `verify blas-probe` (hidden, for verify itself): tries OpenBLAS in this process (<see cref="Backend.TryOpenBlas"/>:
/// the agreement check, then the calibration) and prints the verdict as one line of JSON. <see cref="ChildProbe"/>
/// runs it as a child, so that a kernel that crashes takes only this process down.
/// </summary>
internal static class BlasProbeCommand
{
    public const string Name = ChildProbe.CommandName;

    private static readonly JsonSerializerOptions OneLine = new(CalibrationFile.Json) { WriteIndented = false };

    public static Command Create(CliContext ctx)
    {
        var cmd = new Command(Name, "(used by verify itself) try OpenBLAS against the managed kernel and time both; prints the verdict as JSON") { Hidden = true };
        cmd.SetAction(_ =>
        {
            ctx.Out.WriteLine(JsonSerializer.Serialize(Backend.TryOpenBlas(), OneLine));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
