namespace NetDrop.Cli;

/// <summary>The command-line contract's exit codes.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int RuntimeFailure = 1;
    public const int Usage = 2;
}
