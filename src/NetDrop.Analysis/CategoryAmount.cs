using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>How much of one category an interval or an episode had.</summary>
internal readonly record struct CategoryAmount(DropCategory Category, long Amount);
