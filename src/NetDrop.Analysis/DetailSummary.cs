namespace NetDrop.Analysis;

/// <summary>What the detail CSVs among the inputs say: which interface, slave, CPU (later pod, reason) dropped most.</summary>
/// <param name="Files">The detail files read, as given.</param>
/// <param name="Rows">Detail rows kept by the filter.</param>
/// <param name="Scopes">Per scope, in <see cref="NetDrop.Model.DetailCsvSchema.Scopes"/> order; scopes without rows are left out.</param>
internal sealed record DetailSummary(IReadOnlyList<string> Files, long Rows, IReadOnlyList<DetailScopeTop> Scopes);
