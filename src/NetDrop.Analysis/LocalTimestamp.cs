using System.Globalization;
using System.Runtime.CompilerServices;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// A CSV timestamp (<c>2026-02-03 11:23:50</c>): wall-clock local time of the host that wrote the row, to the second.
/// Kept as seconds since 0001-01-01 with no time zone, because the CSV carries none and the report shows the same
/// wall clock the operator saw in the log.
/// </summary>
internal readonly record struct LocalTimestamp(long Seconds) : IComparable<LocalTimestamp>
{
    public const int Length = 19;

    private const long SecondsPerDay = 86_400;

    /// <summary>Days since 0001-01-01; the key of a day row in the day×hour heatmap.</summary>
    public long Day => Seconds / SecondsPerDay;

    public int Hour => (int)(Seconds % SecondsPerDay / 3600);

    public DateTime ToDateTime() => new(Seconds * TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);

    public static LocalTimestamp FromDateTime(DateTime value) => new(value.Ticks / TimeSpan.TicksPerSecond);

    public static LocalTimestamp FromDay(long day) => new(day * SecondsPerDay);

    public LocalTimestamp AddSeconds(long seconds) => new(Seconds + seconds);

    public int CompareTo(LocalTimestamp other) => Seconds.CompareTo(other.Seconds);

    public static bool operator <(LocalTimestamp left, LocalTimestamp right) => left.Seconds < right.Seconds;

    public static bool operator >(LocalTimestamp left, LocalTimestamp right) => left.Seconds > right.Seconds;

    public static bool operator <=(LocalTimestamp left, LocalTimestamp right) => left.Seconds <= right.Seconds;

    public static bool operator >=(LocalTimestamp left, LocalTimestamp right) => left.Seconds >= right.Seconds;

    /// <summary>The CSV's own spelling, <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    public override string ToString() => ToDateTime().ToString(CsvSchema.TimestampFormat, CultureInfo.InvariantCulture);

    public string ToString(string format) => ToDateTime().ToString(format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses <c>yyyy-MM-dd HH:mm:ss</c> (a <c>T</c> separator is accepted too) from UTF-8 bytes without allocating.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, out LocalTimestamp value)
    {
        value = default;
        if (text.Length != Length
            || text[4] != (byte)'-' || text[7] != (byte)'-'
            || (text[10] != (byte)' ' && text[10] != (byte)'T')
            || text[13] != (byte)':' || text[16] != (byte)':')
        {
            return false;
        }

        if (!TryDigits(text[..4], out int year) || !TryDigits(text.Slice(5, 2), out int month)
            || !TryDigits(text.Slice(8, 2), out int day) || !TryDigits(text.Slice(11, 2), out int hour)
            || !TryDigits(text.Slice(14, 2), out int minute) || !TryDigits(text.Slice(17, 2), out int second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long days = DaysFromCivil(year, month, day);
        value = new LocalTimestamp((days * SecondsPerDay) + (hour * 3600) + (minute * 60) + second);
        return true;
    }

    /// <summary>
    /// Parses the <c>HH:mm:ss</c> tail of a timestamp whose date the caller already knows (rows of one day repeat it):
    /// the seconds since midnight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseTimeOfDay(ReadOnlySpan<byte> text, out int secondsOfDay)
    {
        secondsOfDay = 0;
        if (text.Length != 8 || text[2] != (byte)':' || text[5] != (byte)':'
            || !TryDigits(text[..2], out int hour) || !TryDigits(text.Slice(3, 2), out int minute) || !TryDigits(text.Slice(6, 2), out int second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        secondsOfDay = (hour * 3600) + (minute * 60) + second;
        return true;
    }

    /// <summary>Parses what an operator types after <c>--since</c>: a date, a date and time, with or without seconds.</summary>
    public static bool TryParseUserInput(string text, out LocalTimestamp value)
    {
        string[] formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd"];
        if (DateTime.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime parsed))
        {
            value = FromDateTime(parsed);
            return true;
        }

        value = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (byte b in digits)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            value = (value * 10) + (int)digit;
        }

        return true;
    }

    // PERF: DateTime's constructor validates again and is several times slower; this is the proleptic Gregorian day
    // count (the same calendar DateTime uses), checked against DateTime in the tests.
    private static long DaysFromCivil(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1 : year;
        long era = y / 400;
        long yearOfEra = y - (era * 400);
        long dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        // 0001-03-01 is day 59 since 0001-01-01; era 0 starts at 0000-03-01, 306 days before 0001-01-01.
        return (era * 146_097) + dayOfEra - 306;
    }
}
