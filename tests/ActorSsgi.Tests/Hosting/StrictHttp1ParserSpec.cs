using System.Text;
using ActorSsgi.Hosting.Strict;

namespace ActorSsgi.Tests.Hosting;

/// <summary>
/// The strict HTTP/1.1 filter's state machine, rule by rule. Every input is fed whole, split in two at every byte
/// boundary, and one byte at a time: the verdict and where it falls must not depend on how the bytes arrive.
/// </summary>
public sealed class StrictHttp1ParserSpec
{
    private const string Get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    [Theory]
    [InlineData(Get)]
    [InlineData(Get + Get + Get)]
    [InlineData("\r\n" + Get)]
    [InlineData("GET / HTTP/1.0\r\n\r\n")]
    [InlineData("GET /p?q=1 HTTP/1.1\r\nHost: example.com:8080\r\nX-Tab:\ta\tb \r\nX-Empty:\r\nX-Obs: caf\u00e9\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n\u0000\r\n;;\nGET x" + Get)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:  007 \r\n\r\n1234567" + Get)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + Get)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n5;a;b=c ; d = \"q\\\"x\";e=f\r\nhe\r\nl\r\n0\r\nX-T: 1\r\n\r\n" + Get)]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000000000a\r\n0123456789\r\n0\r\n\r\n")]
    public void Valid_input_passes_however_it_is_split(string input)
    {
        foreach (var (verdict, offset, _) in FeedEveryWay(input))
        {
            Assert.Equal(StrictVerdict.Continue, verdict);
            Assert.Equal(Encoding.Latin1.GetByteCount(input), offset);
        }
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello", "invalid Content-Length")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -0\r\n\r\n", "invalid Content-Length")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", "invalid Content-Length")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\nhello", "invalid Content-Length")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", "more than one Content-Length")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1234567890123456789\r\n\r\n", "invalid Content-Length")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n", "bare ';'")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=\"\u0001\"\r\nhello\r\n0\r\n\r\n", "control character in a chunk extension")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a\u0000b\r\nhello\r\n0\r\n\r\n", "invalid character in a chunk extension")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a@b\r\nhello\r\n0\r\n\r\n", "invalid character in a chunk extension")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b=c\r\nhello\r\n0\r\n\r\n", "invalid character in a chunk extension")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n", "whitespace without a chunk extension")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n", "chunk size overflow")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n", "no CRLF after the chunk data")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n", "invalid character after the chunk size")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size is not hexadecimal")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Name: x\r\n\r\n", "whitespace between field name and colon")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u0001b\r\n\r\n", "control character or bare LF in a field value")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\u007fb\r\n\r\n", "control character or bare LF in a field value")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\nX-B: b\r\n\r\n", "control character or bare LF in a field value")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\rX-B: b\r\n\r\n", "bare CR in the head")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX\"A: b\r\n\r\n", "invalid field name")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", "invalid field name")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A : b\r\n\r\n", "whitespace between field name and colon")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", "obs-fold")]
    [InlineData("GET / HTTP/1.1\r\nHost:\r\n\r\n", "empty or invalid Host")]
    [InlineData("GET / HTTP/1.1\r\nHost:  \t\r\n\r\n", "empty or invalid Host")]
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "empty or invalid Host")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host")]
    [InlineData("GET / HTTP/1.1\r\nX-A: b\r\n\r\n", "no Host")]
    [InlineData("GET / HTTP/1.1\nHost: a\r\n\r\n", "control character or bare LF in the request line")]
    [InlineData("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", "control character or bare LF in the request line")]
    [InlineData("GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", "fragment in the request target")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", "both Transfer-Encoding and Content-Length")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "invalid Transfer-Encoding")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "invalid Transfer-Encoding")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", "final transfer coding is not chunked")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", "invalid Transfer-Encoding")]
    [InlineData("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "HTTP/1.0")]
    [InlineData(Get + "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\nx", "invalid Content-Length")]
    public void Forbidden_input_is_refused_at_the_same_byte_however_it_is_split(string input, string reason)
    {
        var results = FeedEveryWay(input).ToList();
        foreach (var (verdict, offset, why) in results)
        {
            Assert.Equal(StrictVerdict.Violation, verdict);
            Assert.Equal(results[0].Offset, offset);
            Assert.Contains(reason, why);
        }
    }

    [Theory]
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\u0081\u0085\u0000\u0000\u0000\u0000hello")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000\u0012\u0004")]
    [InlineData("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n\u0016\u0003\u0001")]
    public void After_an_upgrade_connect_or_another_protocol_the_bytes_are_no_longer_inspected(string input)
    {
        foreach (var (verdict, offset, _) in FeedEveryWay(input))
        {
            Assert.Equal(StrictVerdict.PassThrough, verdict);
            Assert.Equal(Encoding.Latin1.GetByteCount(input), offset);
        }
    }

    [Fact]
    public void Chunked_framing_is_held_back_until_whole_and_a_violation_replaces_it_from_its_line()
    {
        var parser = new StrictHttp1Parser();
        var head = Bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
        Assert.Equal(StrictVerdict.Continue, parser.Feed(head));
        Assert.Equal(head.Length, parser.SafeEnd);

        Assert.Equal(StrictVerdict.Continue, parser.Feed(Bytes("5;a=b")));
        Assert.Equal(head.Length, parser.SafeEnd); // the chunk line is not whole yet

        Assert.Equal(StrictVerdict.Continue, parser.Feed(Bytes("\r\nhel")));
        Assert.Equal(head.Length + 10, parser.SafeEnd); // the line and the data so far

        Assert.Equal(StrictVerdict.Violation, parser.Feed(Bytes("lo\r\n5;\r\n")));
        Assert.Equal(head.Length + 14, parser.UnitStart); // the offending chunk line
        Assert.Equal("X\r\n", Encoding.ASCII.GetString(parser.Poison));
    }

    [Fact]
    public void A_violation_in_a_head_is_replaced_from_its_line_by_a_line_kestrel_refuses()
    {
        var parser = new StrictHttp1Parser();
        var good = Bytes(Get + "GET / HTTP/1.1\r\nHost: a\r\n");
        Assert.Equal(StrictVerdict.Continue, parser.Feed(good));
        Assert.Equal(StrictVerdict.Violation, parser.Feed(Bytes("Content-Length: -0\r\n\r\n")));
        Assert.Equal(good.Length, parser.UnitStart);
        Assert.Equal("\u0001\r\n\r\n", Encoding.ASCII.GetString(parser.Poison));
    }

    // Found by the strict-http fuzz harness (docs/fuzzing.md, corpus/strict-http/found-long-chunk-line): the length
    // limits were checked only at the end of each Feed, so a 5 KB chunk line that arrived in one read was accepted and
    // the same line a byte at a time refused, and a refusal fell on the end of the read, not on a byte of the line.
    [Theory]
    [InlineData(4096 - 5, 4096, "chunk line too long")]           // "5;a=" + value + CRLF: 4097 bytes
    [InlineData(5000, 4096, "chunk line too long")]               // the fuzzed input
    [InlineData(16 * 1024, 16 * 1024, "trailer section too long")]
    public void A_held_back_unit_over_its_capacity_is_refused_at_the_same_byte_however_it_is_split(int valueLength, int refusedAt, string reason)
    {
        var head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
        var input = reason.StartsWith("trailer", StringComparison.Ordinal)
            ? head + "0\r\nX-T: " + new string('b', valueLength) + "\r\n\r\n"
            : head + "5;a=" + new string('b', valueLength) + "\r\nhello\r\n0\r\n\r\n";

        foreach (var (verdict, offset, why) in FeedEveryWay(input))
        {
            Assert.Equal(StrictVerdict.Violation, verdict);
            // The first byte past the capacity, counted from the chunk line (the last chunk's line for trailers).
            Assert.Equal(Encoding.Latin1.GetByteCount(head) + refusedAt, offset);
            Assert.Equal(reason, why);
        }
    }

    [Fact]
    public void A_chunk_line_of_exactly_its_capacity_passes_however_it_is_split()
    {
        // "5;a=" + value + CRLF is 4096 bytes.
        var input = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a=" + new string('b', 4096 - 6) + "\r\nhello\r\n0\r\n\r\n";

        foreach (var (verdict, offset, _) in FeedEveryWay(input))
        {
            Assert.Equal(StrictVerdict.Continue, verdict);
            Assert.Equal(Encoding.Latin1.GetByteCount(input), offset);
        }
    }

    [Fact]
    public void After_a_violation_every_feed_is_a_violation_and_moves_nothing()
    {
        var parser = new StrictHttp1Parser();
        Assert.Equal(StrictVerdict.Violation, parser.Feed(Bytes("GET / HTTP/1.1\r\nHost:\r\n\r\n")));
        var (processed, unitStart) = (parser.Processed, parser.UnitStart);

        Assert.Equal(StrictVerdict.Violation, parser.Feed([]));
        Assert.Equal(StrictVerdict.Violation, parser.Feed(Bytes(Get)));
        Assert.Equal((processed, unitStart), (parser.Processed, parser.UnitStart));
    }

    private static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

    private static IEnumerable<(StrictVerdict Verdict, long Offset, string Reason)> FeedEveryWay(string input)
    {
        var bytes = Bytes(input);
        for (var split = 0; split <= bytes.Length; split++)
        {
            yield return Feed(bytes[..split], bytes[split..]);
        }

        yield return Feed(bytes.Select(b => new[] { b }).ToArray());
    }

    private static (StrictVerdict, long, string) Feed(params byte[][] pieces)
    {
        var parser = new StrictHttp1Parser();
        var verdict = StrictVerdict.Continue;
        foreach (var piece in pieces)
        {
            verdict = parser.Feed(piece);
            if (verdict == StrictVerdict.Violation)
            {
                break;
            }
        }

        return (verdict, parser.Processed, parser.Reason ?? "");
    }
}
