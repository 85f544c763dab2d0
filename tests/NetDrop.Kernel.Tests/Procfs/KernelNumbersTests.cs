using System.Text;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Kernel.Tests.Procfs;

public class KernelNumbersTests
{
    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("00042", 42UL)]
    public void TryParseDecimal_KernelDigits_Parse(string text, ulong expected)
    {
        Assert.True(KernelNumbers.TryParseDecimal(Encoding.ASCII.GetBytes(text), out ulong value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("18446744073709551616")]           // 2^64
    [InlineData("123456789012345678901234567890")] // 30 digits
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("12\0")]                            // ulong.TryParse accepts trailing NULs: "12\0\0" would read as 12
    [InlineData("12\0\0")]
    [InlineData("1\02")]
    [InlineData("12\r")]
    [InlineData(" 12")]
    [InlineData("1_000")]
    public void TryParseDecimal_AnythingElse_IsRefused(string text)
    {
        Assert.False(KernelNumbers.TryParseDecimal(Encoding.Latin1.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("00000000", 0U)]
    [InlineData("ffffffff", uint.MaxValue)]
    [InlineData("0000ABcd", 0xabcdU)]
    public void TryParseHex32_SoftnetColumns_Parse(string text, uint expected)
    {
        Assert.True(KernelNumbers.TryParseHex32(Encoding.ASCII.GetBytes(text), out uint value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("100000000")] // 9 digits: beyond 32 bits
    [InlineData("0000000g")]
    [InlineData("-5")]
    [InlineData("0000000\0")]
    [InlineData("00000000\r")]
    public void TryParseHex32_AnythingElse_IsRefused(string text)
    {
        Assert.False(KernelNumbers.TryParseHex32(Encoding.Latin1.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("00000000", 0UL)]
    [InlineData("ffffffff", 0xffffffffUL)]
    [InlineData("100000000", 0x100000000UL)]          // 9 digits: an unsigned long past 2^32 (%08lx grows)
    [InlineData("ffffffffffffffff", ulong.MaxValue)]  // 16 digits: the largest a 64-bit kernel prints
    [InlineData("0123456789ABCDEF", 0x0123456789abcdefUL)]
    public void TryParseHex64_NeighbourColumns_Parse(string text, ulong expected)
    {
        Assert.True(KernelNumbers.TryParseHex64(Encoding.ASCII.GetBytes(text), out ulong value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10000000000000000")] // 17 digits: beyond 64 bits
    [InlineData("0x10")]
    [InlineData("0000000g")]
    [InlineData("-5")]
    [InlineData("0000000\0")]
    [InlineData("00000000\r")]
    [InlineData(" 0")]
    public void TryParseHex64_AnythingElse_IsRefused(string text)
    {
        Assert.False(KernelNumbers.TryParseHex64(Encoding.Latin1.GetBytes(text), out _));
    }
}
