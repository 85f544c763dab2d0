using System.Security.Cryptography;
using System.Text;
using NetDrop.Sinks.Telemetry;

namespace NetDrop.Tests.Telemetry;

public sealed class Sha1Tests
{
    [Theory]
    [InlineData("abc", "a9993e364706816aba3e25717850c26c9cd0d89d")] // FIPS 180 example
    [InlineData("", "da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1")] // 448 bits: two blocks
    public void Hash_KnownVectors(string message, string expected) =>
        Assert.Equal(expected, Convert.ToHexStringLower(Sha1.Hash(Encoding.ASCII.GetBytes(message))));

    [Fact]
    public void Hash_EveryLengthAcrossBlockBoundaries_MatchesTheBcl()
    {
        byte[] data = [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 7 + 3))];
        for (int length = 0; length <= data.Length; length++)
        {
#pragma warning disable CA5350 // the reference implementation, in a test
            Assert.Equal(SHA1.HashData(data.AsSpan(0, length)), Sha1.Hash(data.AsSpan(0, length)));
#pragma warning restore CA5350
        }
    }
}
