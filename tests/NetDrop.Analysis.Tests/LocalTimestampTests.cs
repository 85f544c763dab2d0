using System.Globalization;
using System.Text;

namespace NetDrop.Analysis.Tests;

public class LocalTimestampTests
{
    [Fact]
    public void TryParse_EveryDayOfFourCenturies_MatchesDateTime()
    {
        // Leap years (2000, 2024), non-leap centuries (1900, 2100), month ends: the day arithmetic must equal DateTime's.
        for (var day = new DateTime(1899, 12, 25); day < new DateTime(2301, 1, 5); day = day.AddDays(1))
        {
            DateTime value = day.AddHours(23).AddMinutes(59).AddSeconds(58);
            string text = value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            Assert.True(LocalTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out LocalTimestamp parsed), text);
            Assert.Equal(value, parsed.ToDateTime());
            Assert.Equal(text, parsed.ToString());
        }
    }

    [Theory]
    [InlineData("2026-02-30 10:00:00")]
    [InlineData("2026-13-01 10:00:00")]
    [InlineData("2026-02-03 24:00:00")]
    [InlineData("2026-02-03 10:60:00")]
    [InlineData("2026-02-03 10:00:60")]
    [InlineData("2026-02-03 10:00")]
    [InlineData("2026/02/03 10:00:00")]
    [InlineData("2026-02-03 1a:00:00")]
    [InlineData("")]
    public void TryParse_NotATimestamp_ReturnsFalse(string text)
    {
        Assert.False(LocalTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void TryParse_IsoSeparator_Accepted()
    {
        Assert.True(LocalTimestamp.TryParse("2026-02-03T11:23:50"u8, out LocalTimestamp value));
        Assert.Equal("2026-02-03 11:23:50", value.ToString());
        Assert.Equal(11, value.Hour);
    }

    [Theory]
    [InlineData("2026-02-03", "2026-02-03 00:00:00")]
    [InlineData("2026-02-03 11:23", "2026-02-03 11:23:00")]
    [InlineData("2026-02-03 11:23:50", "2026-02-03 11:23:50")]
    [InlineData(" 2026-02-03T11:23:50 ", "2026-02-03 11:23:50")]
    public void TryParseUserInput_AcceptedForms_ParseToTheSecond(string text, string expected)
    {
        Assert.True(LocalTimestamp.TryParseUserInput(text, out LocalTimestamp value));
        Assert.Equal(expected, value.ToString());
    }
}
