namespace NetDrop.Analysis;

/// <summary>A scope's series (interface, slave, cpu, pod ...) with the largest totals, largest first.</summary>
/// <param name="Series">How many distinct (key, category) series the scope had; <see cref="Top"/> holds at most the top N.</param>
internal sealed record DetailScopeTop(string Scope, int Series, IReadOnlyList<DetailTotal> Top);
