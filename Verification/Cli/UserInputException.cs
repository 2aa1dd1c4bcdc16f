namespace Verify.Verification.Cli;

/// <summary>Bad input found by the command line itself; printed as one line, exit code 2.</summary>
public sealed class UserInputException(string message) : Exception(message);
