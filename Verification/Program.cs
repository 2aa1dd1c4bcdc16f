using Verify.Verification.Commands;

return VerifyCli.Run(args, Console.Out, Console.Error);
