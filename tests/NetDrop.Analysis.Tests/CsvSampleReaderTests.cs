using System.IO.Compression;
using System.Text;
using NetDrop.Model;
using static NetDrop.Analysis.Tests.CsvLines;

namespace NetDrop.Analysis.Tests;

public class CsvSampleReaderTests
{
    private readonly InterfaceTable _interfaces = new();
    private readonly MalformedLineLog _malformed = new();

    [Fact]
    public void Open_NetDropHeader_MapsEveryColumnByName()
    {
        string path = AnalyzeTestFiles.WriteTemp($"{NetDropHeader}\n{NetDropRow("2026-02-03 11:23:50", "eth0", ("softirq", 500), ("accept_queue", 23), ("tcp_collapsed", 7), ("tcp_backlog", 4), ("syn_cookies", 2))}\n");
        using CsvSampleReader reader = Open(path);

        Assert.Equal(CsvInputLayout.NetDropHeader, reader.Map!.Layout);
        Assert.Equal(DropCategories.Table.Count, reader.Map.PresentCategoryIds.Length);
        Assert.True(reader.MoveNext());
        DropSample row = reader.Current;
        Assert.Equal("2026-02-03 11:23:50", row.Timestamp.ToString());
        Assert.Equal("eth0", _interfaces.NameOf(row.InterfaceId));
        Assert.Equal(527, row.TotalDrops);
        Assert.Equal(500, row.Categories[DropCategories.Softirq.Id]);
        Assert.Equal(23, row.Categories[DropCategories.AcceptQueue.Id]);
        Assert.Equal(7, row.Categories[DropCategories.TcpCollapsed.Id]);
        Assert.Equal(4, row.Categories[DropCategories.TcpBacklog.Id]);
        Assert.Equal(2, row.Categories[DropCategories.SynCookies.Id]);
        Assert.Equal(IntervalSeverity.Crit, row.Severity);
        Assert.Equal(5000, row.IntervalMilliseconds);
        Assert.Equal(2, row.Line);
        Assert.False(reader.MoveNext());
        Assert.Equal(0, _malformed.Count);
    }

    [Fact]
    public void Open_ColumnsInAnotherOrderAndUnknownOnes_StillMappedByName()
    {
        // A future NetDrop may add columns anywhere after the seed's; names, not positions, decide.
        string header = "timestamp,iteration,interface,total_drops,nic_rx,nic_tx,nic_missed,qdisc,softirq,syn_queue,accept_queue,tcp_pruned,tcp_collapsed,udp_rcvbuf,udp_sndbuf,severity,future_thing,udp_csum,interval_s";
        string path = AnalyzeTestFiles.WriteTemp($"{header}\n2026-02-03 11:23:50,9,eth0,12,1,0,0,0,0,0,0,0,0,0,0,WARN,999,11,5\n");
        using CsvSampleReader reader = Open(path);

        Assert.True(reader.MoveNext());
        Assert.Equal(11, reader.Current.Categories[DropCategories.UdpChecksum.Id]);
        Assert.Equal(1, reader.Current.Categories[DropCategories.NicRx.Id]);
        Assert.Contains(reader.Notes, n => n.Contains("future_thing", StringComparison.Ordinal));
        Assert.DoesNotContain(DropCategories.TcpBacklog.Id, reader.Map!.PresentCategoryIds);
    }

    [Fact]
    public void Open_SeedHeader_ReadsSixteenColumns()
    {
        string path = AnalyzeTestFiles.WriteTemp($"{SeedHeader}\n{SeedRow("2026-02-03 11:23:50", 523, softirq: 500, collapsed: 23)}\n");
        using CsvSampleReader reader = Open(path);

        Assert.Equal(CsvInputLayout.SeedHeader, reader.Map!.Layout);
        Assert.Equal(DropCategoryTable.SeedCount, reader.Map.PresentCategoryIds.Length);
        Assert.True(reader.MoveNext());
        Assert.Equal(523, reader.Current.TotalDrops);
        Assert.Equal(23, reader.Current.Categories[DropCategories.TcpCollapsed.Id]);
    }

    [Fact]
    public void Open_HeaderlessSeedRows_ReadWithSeedColumnsAndSaysSo()
    {
        // `tail -n 100 network_drops.log > excerpt.csv` loses the header; the rows are still the seed's.
        string path = AnalyzeTestFiles.WriteTemp($"{SeedRow("2026-02-03 11:23:50", 45, softirq: 45)}\n{SeedRow("2026-02-03 11:23:55", 0)}\n");
        using CsvSampleReader reader = Open(path);

        Assert.Equal(CsvInputLayout.HeaderlessSeed, reader.Map!.Layout);
        Assert.Contains(reader.Notes, n => n.Contains("no header line", StringComparison.Ordinal) && n.Contains("seed", StringComparison.Ordinal));
        Assert.True(reader.MoveNext());
        Assert.Equal(1, reader.Current.Line);
        Assert.Equal(45, reader.Current.Categories[DropCategories.Softirq.Id]);
        Assert.True(reader.MoveNext());
        Assert.Equal(2, reader.Current.Line);
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void Open_HeaderlessNetDropRows_ReadWithNetDropColumns()
    {
        // logrotate's copytruncate empties the file under a running monitor, which does not write the header again.
        string path = AnalyzeTestFiles.WriteTemp(NetDropRow("2026-02-03 11:23:50", "eth0", ("tcp_backlog", 3)) + "\n");
        using CsvSampleReader reader = Open(path);

        Assert.Equal(CsvInputLayout.HeaderlessNetDrop, reader.Map!.Layout);
        Assert.True(reader.MoveNext());
        Assert.Equal(3, reader.Current.Categories[DropCategories.TcpBacklog.Id]);
    }

    [Theory]
    [InlineData("Nov 24 19:45:01 host kernel: eth0: link up\nNov 24 19:45:02 host kernel: eth0: link down\n", "line 1 is neither the NetDrop/seed header")]
    [InlineData("{\"intervals\": 3}\n", "line 1 is neither")]
    [InlineData("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p\n", "not a NetDrop/seed data row")]
    [InlineData("timestamp,iteration,interface,total_drops,nic_rx\n2026-02-03 11:23:50,1,eth0,0,0\n", "no 'nic_tx' column")]
    public void Open_NotANetDropOrSeedCsv_ThrowsOneSentenceNamingFileAndReason(string content, string reason)
    {
        string path = AnalyzeTestFiles.WriteTemp(content);
        AnalyzeInputException error = Assert.Throws<AnalyzeInputException>(() => Open(path));

        Assert.StartsWith(path + ": not a NetDrop/seed CSV: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Open_BinaryFile_IsNotACsv()
    {
        string path = Path.Combine(AnalyzeTestFiles.NewTempDirectory(), "core");
        File.WriteAllBytes(path, [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 0, 1, 2, (byte)'\n']);
        AnalyzeInputException error = Assert.Throws<AnalyzeInputException>(() => Open(path));
        Assert.Contains("binary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingFile_SaysNoSuchFile()
    {
        string path = Path.Combine(AnalyzeTestFiles.NewTempDirectory(), "nope.csv");
        AnalyzeInputException error = Assert.Throws<AnalyzeInputException>(() => Open(path));
        Assert.Equal($"{path}: no such file.", error.Message);
    }

    [Fact]
    public void Open_Directory_SaysItIsADirectory()
    {
        string path = AnalyzeTestFiles.NewTempDirectory();
        AnalyzeInputException error = Assert.Throws<AnalyzeInputException>(() => Open(path));
        Assert.Equal($"{path}: is a directory, not a CSV log.", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Open_EmptyFile_HasNoMapAndNoRows(string content)
    {
        using CsvSampleReader reader = Open(AnalyzeTestFiles.WriteTemp(content));
        Assert.True(reader.IsEmptyFile);
        Assert.False(reader.MoveNext());
    }

    [Fact]
    public void MoveNext_CrlfLineEnds_ParsedLikeLf()
    {
        string content = $"{NetDropHeader}\r\n{NetDropRow("2026-02-03 11:23:50", "eth0", ("softirq", 5))}\r\n{NetDropRow("2026-02-03 11:23:55")}\r\n";
        using CsvSampleReader reader = Open(AnalyzeTestFiles.WriteTemp(content));

        Assert.True(reader.MoveNext());
        Assert.Equal(5, reader.Current.TotalDrops);
        Assert.True(reader.MoveNext());
        Assert.Equal(IntervalSeverity.Ok, reader.Current.Severity);
        Assert.Equal(0, reader.Current.IntervalMilliseconds - 5000);
        Assert.False(reader.MoveNext());
        Assert.Equal(0, _malformed.Count);
    }

    [Fact]
    public void MoveNext_QuotedInterfaceWithCommaAndEscapedQuote_OneCell()
    {
        // RFC 4180: interface names may contain commas; several interfaces are written eth0+eth1.
        string row1 = NetDropRow("2026-02-03 11:23:50", "\"lab,uplink\"", ("softirq", 5));
        string row2 = NetDropRow("2026-02-03 11:23:55", "\"we\"\"ird\"", ("nic_rx", 2));
        string row3 = NetDropRow("2026-02-03 11:24:00", "eth0+eth1", ("nic_rx", 1));
        using CsvSampleReader reader = Open(AnalyzeTestFiles.WriteTemp($"{NetDropHeader}\n{row1}\n{row2}\n{row3}\n"));

        Assert.True(reader.MoveNext());
        Assert.Equal("lab,uplink", _interfaces.NameOf(reader.Current.InterfaceId));
        Assert.Equal(5, reader.Current.Categories[DropCategories.Softirq.Id]);
        Assert.True(reader.MoveNext());
        Assert.Equal("we\"ird", _interfaces.NameOf(reader.Current.InterfaceId));
        Assert.True(reader.MoveNext());
        Assert.Equal("eth0+eth1", _interfaces.NameOf(reader.Current.InterfaceId));
        Assert.Equal(0, _malformed.Count);
    }

    [Fact]
    public void MoveNext_MalformedLines_SkippedAndReportedWithLineNumbers()
    {
        string good = NetDropRow("2026-02-03 11:23:50", "eth0", ("softirq", 5));
        string[] lines =
        [
            NetDropHeader,
            good,                                                   // 2 ok
            good.Replace(",5,", ",5x,", StringComparison.Ordinal),  // 3 non-numeric cell
            good + ",extra",                                        // 4 wrong column count (too many)
            string.Join(',', good.Split(',').Take(10)),             // 5 wrong column count (too few)
            good.Replace("2026-02-03 11:23:50", "yesterday", StringComparison.Ordinal), // 6 bad timestamp
            "\"eth0" + good[19..],                                  // 7 unterminated quote
            good.Replace("5.000", "five", StringComparison.Ordinal), // 8 non-numeric interval_s
            good,                                                   // 9 ok
            good[..40],                                             // 10 truncated last line, no line end
        ];
        using CsvSampleReader reader = Open(AnalyzeTestFiles.WriteTemp(string.Join('\n', lines)));

        var rows = new List<long>();
        while (reader.MoveNext())
        {
            rows.Add(reader.Current.Line);
        }

        Assert.Equal([2, 9], rows);
        Assert.Equal(7, _malformed.Count);
        Assert.Equal([3L, 4L, 5L, 6L, 7L, 8L, 10L], _malformed.Examples.Select(m => m.Line));
        Assert.Contains("total_drops is not a number: '5x'", _malformed.Examples[0].Reason, StringComparison.Ordinal);
        Assert.Contains($"{CsvSchema.Default.Columns.Length + 1} fields where the header has {CsvSchema.Default.Columns.Length}", _malformed.Examples[1].Reason, StringComparison.Ordinal);
        Assert.Contains($"10 fields where the header has {CsvSchema.Default.Columns.Length}", _malformed.Examples[2].Reason, StringComparison.Ordinal);
        Assert.Contains("the timestamp 'yesterday' is not yyyy-MM-dd HH:mm:ss", _malformed.Examples[3].Reason, StringComparison.Ordinal);
        Assert.Contains("never closes", _malformed.Examples[4].Reason, StringComparison.Ordinal);
        Assert.Contains("interval_s is not a number", _malformed.Examples[5].Reason, StringComparison.Ordinal);
        MalformedLine truncated = _malformed.Examples[^1];
        Assert.Equal(10, truncated.Line);
        Assert.Contains("no line end", truncated.Reason, StringComparison.Ordinal);
        Assert.All(_malformed.Examples, m => Assert.EndsWith("log.csv", m.File, StringComparison.Ordinal));
    }

    [Fact]
    public void MoveNext_CompleteLastLineWithoutLineEnd_Accepted()
    {
        using CsvSampleReader reader = Open(AnalyzeTestFiles.WriteTemp($"{NetDropHeader}\n{NetDropRow("2026-02-03 11:23:50", "eth0", ("qdisc", 3))}"));
        Assert.True(reader.MoveNext());
        Assert.Equal(3, reader.Current.TotalDrops);
        Assert.Equal(0, _malformed.Count);
    }

    [Fact]
    public void MoveNext_NegativeAndHugeCells_ReadAsAwkWouldOrRejectedWhenTheyOverflow()
    {
        string seed = $"{SeedHeader}\n" +
            "2026-02-03 11:23:50,1,eth0,-42,-42,0,0,0,0,0,0,0,0,0,0,OK\n" +
            "2026-02-03 11:23:55,2,eth0,9223372036854775807,0,0,0,0,0,0,0,0,0,0,0,CRIT\n" +
            "2026-02-03 11:24:00,3,eth0,9223372036854775808,0,0,0,0,0,0,0,0,0,0,0,CRIT\n" +
            "2026-02-03 11:24:05,4,eth0,-,0,0,0,0,0,0,0,0,0,0,0,OK\n" +
            "2026-02-03 11:24:10,5,eth0,,0,0,0,0,0,0,0,0,0,0,0,OK\n";
        using CsvSampleReader reader = Open(AnalyzeTestFiles.WriteTemp(seed));

        Assert.True(reader.MoveNext());
        Assert.Equal(-42, reader.Current.TotalDrops);
        Assert.Equal(2, reader.Current.NegativeCells);
        Assert.True(reader.MoveNext());
        Assert.Equal(long.MaxValue, reader.Current.TotalDrops);
        Assert.True(reader.MoveNext());
        Assert.Equal(6, reader.Current.Line);   // an empty cell is 0, as in awk
        Assert.Equal(0, reader.Current.TotalDrops);
        Assert.False(reader.MoveNext());
        Assert.Equal([4L, 5L], _malformed.Examples.Select(m => m.Line));
    }

    [Fact]
    public void MoveNext_HeaderRepeatedMidFile_ColumnsReReadNotMalformed()
    {
        // `cat network_drops.log.1 network_drops.log > all.csv` leaves a header in the middle, maybe a wider one.
        string content = $"{SeedHeader}\n{SeedRow("2026-02-03 11:23:50", 7, softirq: 7)}\n{NetDropHeader}\n{NetDropRow("2026-02-03 11:23:55", "eth0", ("tcp_backlog", 2))}\n";
        using CsvSampleReader reader = Open(AnalyzeTestFiles.WriteTemp(content));

        Assert.True(reader.MoveNext());
        Assert.Equal(7, reader.Current.TotalDrops);
        Assert.True(reader.MoveNext());
        Assert.Equal(2, reader.Current.Categories[DropCategories.TcpBacklog.Id]);
        Assert.Equal(0, _malformed.Count);
        Assert.Contains(reader.Notes, n => n.Contains("line 3 is a further header", StringComparison.Ordinal));
    }

    [Fact]
    public void MoveNext_UnavailableCell_MapsCategoryNamesToBits()
    {
        string row = NetDropRow("2026-02-03 11:23:50");
        row = row[..row.LastIndexOf(',')] + ",qdisc;nic_missed";
        using CsvSampleReader reader = Open(AnalyzeTestFiles.WriteTemp($"{NetDropHeader}\n{row}\n"));

        Assert.True(reader.MoveNext());
        Assert.Equal((1UL << DropCategories.Qdisc.Id) | (1UL << DropCategories.NicMissed.Id), reader.Current.UnavailableMask);
    }

    [Fact]
    public void Open_GzipByMagicBytes_DecompressedWhateverTheName()
    {
        string path = Path.Combine(AnalyzeTestFiles.NewTempDirectory(), "network_drops.log.2");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.SmallestSize))
        {
            gzip.Write(Encoding.UTF8.GetBytes($"{NetDropHeader}\n{NetDropRow("2026-02-03 11:23:50", "eth0", ("softirq", 9))}\n"));
        }

        using CsvSampleReader reader = Open(path);
        Assert.True(reader.Compressed);
        Assert.True(reader.MoveNext());
        Assert.Equal(9, reader.Current.TotalDrops);
    }

    [Fact]
    public void Open_TruncatedGzip_KeepsRowsBeforeTheDamageAndSaysSo()
    {
        var content = new StringBuilder(NetDropHeader).Append('\n');
        for (int i = 0; i < 5000; i++)
        {
            content.Append(NetDropRow(new DateTime(2026, 2, 3).AddSeconds(5 * i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), "eth0", ("softirq", i % 7))).Append('\n');
        }

        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(content.ToString()));
        }

        string path = Path.Combine(AnalyzeTestFiles.NewTempDirectory(), "cut.gz");
        File.WriteAllBytes(path, compressed.ToArray()[..(int)(compressed.Length / 2)]);
        using CsvSampleReader reader = Open(path);
        long rows = 0;
        while (reader.MoveNext())
        {
            rows++;
        }

        Assert.InRange(rows, 100, 4999);
        Assert.True(reader.Notes.Any(n => n.Contains("compressed data", StringComparison.Ordinal)) || _malformed.Count > 0);
    }

    [Fact]
    public void MoveNext_ManyRows_AllocatesNothingPerRow()
    {
        // Streaming means no string per line or per cell: a 20,000-row file costs no more than its buffers.
        var content = new StringBuilder(NetDropHeader).Append('\n');
        for (int i = 0; i < 20_000; i++)
        {
            content.Append(NetDropRow(new DateTime(2026, 2, 3).AddSeconds(5 * i).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), "eth0", ("softirq", i % 3))).Append('\n');
        }

        string path = AnalyzeTestFiles.WriteTemp(content.ToString());
        for (int round = 0; round < 2; round++)
        {
            using CsvSampleReader reader = Open(path);
            long before = GC.GetAllocatedBytesForCurrentThread();
            long rows = 0;
            while (reader.MoveNext())
            {
                rows++;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(20_000, rows);
            if (round == 1)
            {
                Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated for 20,000 rows");
            }
        }
    }

    private CsvSampleReader Open(string path) => CsvSampleReader.Open(path, 0, CsvSchema.Default, _interfaces, _malformed);
}
