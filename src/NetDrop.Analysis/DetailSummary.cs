namespace NetDrop.Analysis;

/// <summary>What the detail CSVs among the inputs say: which interface, slave, CPU, pod dropped most, and why (reasons).</summary>
/// <param name="Files">The detail files read, as given.</param>
/// <param name="Rows">Detail rows kept by the filter.</param>
/// <param name="Scopes">Per scope, in <see cref="NetDrop.Model.DetailCsvSchema.Scopes"/> order; scopes without rows are left out, and so is <c>reason</c>, which is <see cref="Reasons"/>.</param>
/// <param name="Reasons">The <c>reason</c> rows (opt-in <c>--drop-reasons</c>); null when the files had none.</param>
internal sealed record DetailSummary(IReadOnlyList<string> Files, long Rows, IReadOnlyList<DetailScopeTop> Scopes, ReasonSummary? Reasons = null);
