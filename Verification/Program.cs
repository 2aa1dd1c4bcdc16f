using Verify.Verification.Commands;
using Verify.Verification.Output;

// A closed stdout or stderr (a finished pipe, `2>&-`) must not turn a clean exit code into an abort.
return VerifyCli.Run(args, new SafeWriter(Console.Out), new SafeWriter(Console.Error), interactive: !Console.IsOutputRedirected);
