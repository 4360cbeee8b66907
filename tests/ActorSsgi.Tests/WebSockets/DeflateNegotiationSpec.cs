using ActorSsgi.WebSockets;
using Microsoft.AspNetCore.Http;

namespace ActorSsgi.Tests.WebSockets;

/// <summary>
/// permessage-deflate negotiation (RFC 7692 section 7): which offers the server takes, and what it answers. The
/// repeated-parameter case was found by the handshake fuzz harness (corpus/handshake/found-repeated-deflate-parameter).
/// </summary>
public sealed class DeflateNegotiationSpec
{
    [Theory]
    [InlineData("permessage-deflate", "permessage-deflate")]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate")]
    [InlineData("permessage-deflate; server_no_context_takeover; client_max_window_bits=10",
        "permessage-deflate; server_no_context_takeover; client_max_window_bits=10")]
    [InlineData("permessage-deflate; server_max_window_bits=\"12\"", "permessage-deflate; server_max_window_bits=12")]
    // The first offer repeats a parameter and is declined; the next one is taken.
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover, permessage-deflate",
        "permessage-deflate")]
    public void Takes_the_first_acceptable_offer(string offer, string answer)
    {
        var (options, response) = WebSocketHandshake.NegotiateDeflate(Offer(offer), enabled: true);

        Assert.NotNull(options);
        Assert.Equal(answer, response);
    }

    [Theory]
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover")]
    [InlineData("permessage-deflate; SERVER_NO_CONTEXT_TAKEOVER; server_no_context_takeover")]
    [InlineData("permessage-deflate; client_max_window_bits; client_max_window_bits=10")]
    [InlineData("permessage-deflate; server_max_window_bits=10; server_max_window_bits=10")]
    [InlineData("permessage-deflate; server_no_context_takeover=1")]
    [InlineData("permessage-deflate; client_no_context_takeover=yes")]
    [InlineData("permessage-deflate; server_max_window_bits=8")]
    [InlineData("permessage-deflate; server_max_window_bits")]
    [InlineData("permessage-deflate; unknown_parameter")]
    [InlineData("x-webkit-deflate-frame")]
    public void Declines_an_offer_RFC_7692_says_to_decline(string offer)
    {
        Assert.Equal((null, null), WebSocketHandshake.NegotiateDeflate(Offer(offer), enabled: true));
    }

    [Fact]
    public void Negotiates_nothing_while_disabled()
    {
        Assert.Equal((null, null), WebSocketHandshake.NegotiateDeflate(Offer("permessage-deflate"), enabled: false));
    }

    private static IHeaderDictionary Offer(string value) => new HeaderDictionary { ["Sec-WebSocket-Extensions"] = value };
}
