namespace NetDrop.Model;

/// <summary>The names <see cref="SoftnetColumn"/> values are written with.</summary>
internal static class SoftnetColumns
{
    public static string NameOf(SoftnetColumn column) => column == SoftnetColumn.Dropped ? "dropped" : "time_squeeze";

    /// <summary>The column a <see cref="CounterSource.Softnet"/> counter reads.</summary>
    public static SoftnetColumn Of(KernelCounter counter) =>
        counter.Name == NameOf(SoftnetColumn.Dropped) ? SoftnetColumn.Dropped : SoftnetColumn.TimeSqueeze;
}
