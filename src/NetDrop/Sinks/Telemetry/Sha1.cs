using System.Buffers.Binary;
using System.Numerics;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// SHA-1 (FIPS 180-4, section 6.1), for the one version-5 UUID the agent derives at start; not for security.
/// </summary>
/// <remarks>
/// PERF: <c>SHA1.HashData</c> on Linux calls into OpenSSL, which maps libcrypto and libssl into the process: 3.7 MB
/// more resident memory for the life of the agent (measured with /proc/PID/smaps, AOT build), to hash ~60 bytes once.
/// Export over plain http loads neither otherwise.
/// </remarks>
internal static class Sha1
{
    public static byte[] Hash(ReadOnlySpan<byte> message)
    {
        // Padding (5.1.1): a 1 bit, zeros to 56 mod 64 bytes, then the message length in bits, big-endian.
        int paddedLength = (message.Length + 8) / 64 * 64 + 64;
        byte[] padded = new byte[paddedLength];
        message.CopyTo(padded);
        padded[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64BigEndian(padded.AsSpan(paddedLength - 8), (ulong)message.Length * 8);

        uint h0 = 0x67452301, h1 = 0xEFCDAB89, h2 = 0x98BADCFE, h3 = 0x10325476, h4 = 0xC3D2E1F0;
        Span<uint> w = stackalloc uint[80];
        for (int block = 0; block < paddedLength; block += 64)
        {
            for (int t = 0; t < 16; t++)
            {
                w[t] = BinaryPrimitives.ReadUInt32BigEndian(padded.AsSpan(block + t * 4));
            }

            for (int t = 16; t < 80; t++)
            {
                w[t] = BitOperations.RotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
            }

            uint a = h0, b = h1, c = h2, d = h3, e = h4;
            for (int t = 0; t < 80; t++)
            {
                (uint f, uint k) = t switch
                {
                    < 20 => ((b & c) | (~b & d), 0x5A827999u),
                    < 40 => (b ^ c ^ d, 0x6ED9EBA1u),
                    < 60 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDCu),
                    _ => (b ^ c ^ d, 0xCA62C1D6u),
                };
                uint temp = BitOperations.RotateLeft(a, 5) + f + e + k + w[t];
                (e, d, c, b, a) = (d, c, BitOperations.RotateLeft(b, 30), a, temp);
            }

            (h0, h1, h2, h3, h4) = (h0 + a, h1 + b, h2 + c, h3 + d, h4 + e);
        }

        byte[] digest = new byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(digest, h0);
        BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(4), h1);
        BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(8), h2);
        BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(12), h3);
        BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(16), h4);
        return digest;
    }
}
