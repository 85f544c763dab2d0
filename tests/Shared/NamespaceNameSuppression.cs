using System.Diagnostics.CodeAnalysis;

// The namespace follows its folder, tests/Shared (STYLE.md: namespaces follow folders). CA1716 warns that 'Shared' is a
// Visual Basic keyword; no other-language consumer ever references a test assembly.
[assembly: SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Scope = "namespace",
    Target = "~N:NetDrop.Tests.Shared",
    Justification = "Test-only helpers linked into the two test projects; never consumed from Visual Basic.")]
