namespace NetDrop.Configuration;

/// <summary>What a configuration key holds, which decides how its text is checked.</summary>
internal enum ConfigValueKind
{
    Text,
    List,
    Duration,
    PositiveInteger,
    NonNegativeInteger,
    Boolean,
    Choice,
}
