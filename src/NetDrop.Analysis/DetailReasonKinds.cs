using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>The <c>category</c> cell of a reason row and the <see cref="DetailReasonKind"/> it names, both ways.</summary>
internal static class DetailReasonKinds
{
    public static bool TryParse(ReadOnlySpan<char> cell, out DetailReasonKind kind)
    {
        if (cell.SequenceEqual(DetailCsvSchema.ReasonLoss))
        {
            kind = DetailReasonKind.Loss;
        }
        else if (cell.SequenceEqual(DetailCsvSchema.ReasonUnspecified))
        {
            kind = DetailReasonKind.Unspecified;
        }
        else if (cell.SequenceEqual(DetailCsvSchema.ReasonNotLoss))
        {
            kind = DetailReasonKind.NotLoss;
        }
        else
        {
            kind = default;
            return false;
        }

        return true;
    }

    /// <summary>The cell's text: <c>loss</c>, <c>unspecified</c>, <c>not_loss</c> (also the JSON's <c>kind</c>).</summary>
    public static string CellOf(DetailReasonKind kind) => kind switch
    {
        DetailReasonKind.Unspecified => DetailCsvSchema.ReasonUnspecified,
        DetailReasonKind.NotLoss => DetailCsvSchema.ReasonNotLoss,
        _ => DetailCsvSchema.ReasonLoss,
    };
}
