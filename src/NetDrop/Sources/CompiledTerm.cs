using NetDrop.Model;

namespace NetDrop.Sources;

/// <summary>
/// A <see cref="CounterTerm"/> resolved to where its value sits in a sample: the namespace counter's index in
/// <see cref="Sample"/>, the <see cref="Kernel.Snapshots.LinkCounters"/> field, or the softnet column.
/// </summary>
internal readonly record struct CompiledTerm(CounterSource Source, int Index, bool Subtracted, bool InAnotherColumn, bool PerDevice);
