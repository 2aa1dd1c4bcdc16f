using Verify.Verification.Cli;

return VerifyCli.Run(args, Console.Out, Console.Error);
