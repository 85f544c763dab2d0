using NetDrop.Kernel.Bpf;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Bpf;

public sealed class BtfFileTests
{
    [Fact]
    public void Read_ThisKernelsVmlinux_NamesEveryReasonAsTheTracefsFormatDoes()
    {
        // Two outputs of the kernel that share no code: BTF (pahole over DWARF) and the tracepoint's print fmt
        // (the DEFINE_DROP_REASON macro list). The fixture was captured on this VM's kernel.
        DropReasonSource fromBtf = BtfFile.Read();
        DropReasonSource fromTracefs = TracepointFormatFile.Read(Path.Join(Fixtures.Root, "bpf", "debian12-6.18-x86_64", "tracing"));

        for (int value = 0; value < fromTracefs.Names.Count; value++)
        {
            if (fromTracefs.Names.NameOf(value) is { } name)
            {
                Assert.Equal(name, fromBtf.Names.NameOf(value));
            }
        }

        // Only in BTF: SKB_NOT_DROPPED_YET = 0 and SKB_CONSUMED = 1 (include/net/dropreason-core.h).
        Assert.Equal("SKB_NOT_DROPPED_YET", fromBtf.Names.NameOf(0));
        Assert.Equal("SKB_CONSUMED", fromBtf.Names.NameOf(1));
    }

    [Fact]
    public void Read_ThisKernelsVmlinux_FindsTheReasonAsThirdRawArgument()
    {
        DropReasonSource source = BtfFile.Read();

        // TP_PROTO(struct sk_buff *skb, void *location, enum skb_drop_reason reason, struct sock *rx_sk) on 6.18.
        Assert.True(source.IsRawTracepoint);
        Assert.Equal(2 * 8, source.ReasonOffset);
        Assert.Equal(8, source.ReasonSize);

        // The namespace key's offsets are found (their values are proven by the exact per-namespace counts in
        // DropReasonCounterTests); the skb is args[0].
        Assert.NotNull(source.Namespace);
        Assert.Equal(0, source.Namespace.SkbArgumentOffset);
    }

    [Fact]
    public void Parse_ReasonAsSecondParameter_ReadsTheArgumentFromThePrototypeNotAnAssumption()
    {
        var btf = new SyntheticBtf();
        int voidPointer = btf.Pointer(0);
        int reason = btf.Enum("skb_drop_reason", ("SKB_DROP_REASON_NO_SOCKET", 3));
        int skb = btf.Pointer(btf.Struct("sk_buff", 232));
        int wrapped = btf.Const(btf.Typedef("reason_t", reason)); // qualifiers and typedefs are looked through
        btf.Typedef("btf_trace_kfree_skb", btf.Pointer(btf.FunctionPrototype(0, voidPointer, wrapped, skb)));

        DropReasonSource source = BtfFile.Parse(btf.Build(), "synthetic");

        Assert.Equal(0, source.ReasonOffset); // args[0]: the first parameter after void *__data
        Assert.Equal(3, source.Names.ValueOf("NO_SOCKET"));
    }

    [Fact]
    public void Parse_Kernel618Shape_SkipsTheSubsystemMaskAndStripsThePrefix()
    {
        DropReasonSource source = BtfFile.Parse(SyntheticBtf.Kernel618Like().Build(), "synthetic");

        Assert.Equal(16, source.ReasonOffset);
        Assert.Equal(4, source.Names.Count); // 0..3; SKB_DROP_REASON_SUBSYS_MASK (0xffff0000) is not a reason
        Assert.Equal("NOT_SPECIFIED", source.Names.NameOf(2));
        Assert.Equal(-1, source.Names.ValueOf("SUBSYS_MASK"));
        Assert.Null(source.Namespace); // struct sk_buff has no members here: no dev offset, so reason-only
    }

    public static TheoryData<string, DropReasonsMissing, string> Refusals() => new()
    {
        { "short", DropReasonsMissing.Format, "shorter than a BTF header" },
        { "big-endian", DropReasonsMissing.Format, "is not little-endian BTF version 1" },
        { "section-past-end", DropReasonsMissing.Format, "run past its" },
        { "unknown-kind", DropReasonsMissing.Format, "has kind 31, which this reader does not know" },
        { "no-enum", DropReasonsMissing.Tracepoint, "has no enum skb_drop_reason" },
        { "no-prototype", DropReasonsMissing.Tracepoint, "has no btf_trace_kfree_skb" },
        { "no-reason-parameter", DropReasonsMissing.Tracepoint, "has no enum skb_drop_reason parameter" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Parse_BlobWithoutWhatIsNeeded_RefusesInOneSentence(string blob, DropReasonsMissing missing, string says)
    {
        byte[] bytes = Blob(blob);

        var refusal = Assert.Throws<DropReasonsUnavailableException>(() => BtfFile.Parse(bytes, "/synthetic/" + blob));

        Assert.Equal(missing, refusal.Missing);
        Assert.Contains(says, refusal.Message, StringComparison.Ordinal);
        Assert.Contains("/synthetic/" + blob, refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal.Message);
    }

    [Fact]
    public void Read_NoSuchFile_RefusesNamingBtfAndTracefs()
    {
        var refusal = Assert.Throws<DropReasonsUnavailableException>(() => BtfFile.Read("/nonexistent/btf/vmlinux"));

        Assert.Equal(DropReasonsMissing.BtfAndTracefs, refusal.Missing);
        Assert.Contains("/nonexistent/btf/vmlinux", refusal.Message, StringComparison.Ordinal);
    }

    private static byte[] Blob(string name)
    {
        switch (name)
        {
            case "short":
                return new byte[10];
            case "big-endian":
                {
                    byte[] bytes = SyntheticBtf.Kernel618Like().Build();
                    (bytes[0], bytes[1]) = (bytes[1], bytes[0]); // 0xeB9F as a big-endian kernel writes it
                    return bytes;
                }

            case "section-past-end":
                return new SyntheticBtf { TypeLengthError = 1000 }.Build();
            case "unknown-kind":
                {
                    SyntheticBtf btf = SyntheticBtf.Kernel618Like();
                    btf.UnknownKind();
                    return btf.Build();
                }

            case "no-enum":
                {
                    var btf = new SyntheticBtf();
                    btf.Int("int", 4);
                    return btf.Build();
                }

            case "no-prototype":
                {
                    var btf = new SyntheticBtf();
                    btf.Enum("skb_drop_reason", ("SKB_DROP_REASON_NO_SOCKET", 3));
                    return btf.Build();
                }

            case "no-reason-parameter":
                return SyntheticBtf.Kernel618Like(withReasonParameter: false).Build();
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "no such blob");
        }
    }
}
