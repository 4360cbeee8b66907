using System.Buffers;
using System.Text;

namespace ActorSsgi.Hosting.Strict;

/// <summary>The framing-relevant fields of a request head, judged as RFC 9110/9112 word them (stricter than Kestrel).</summary>
internal static class Http1FieldRules
{
    /// <summary>A field the filter reads the value of.</summary>
    public enum Field : byte
    {
        /// <summary>Any other field: only its characters are checked.</summary>
        Other,

        /// <summary><c>Host</c>.</summary>
        Host,

        /// <summary><c>Content-Length</c>.</summary>
        ContentLength,

        /// <summary><c>Transfer-Encoding</c>.</summary>
        TransferEncoding,

        /// <summary><c>Upgrade</c>: after such a request the bytes may stop being HTTP.</summary>
        Upgrade,
    }

    /// <summary>What a <c>Transfer-Encoding</c> value says.</summary>
    public enum Coding : byte
    {
        /// <summary>Not a list of transfer codings, or <c>chunked</c> before another coding.</summary>
        Invalid,

        /// <summary><c>chunked</c> is the final coding.</summary>
        Chunked,

        /// <summary>A valid list whose final coding is not <c>chunked</c> (a request body can then not be framed).</summary>
        NotChunked,
    }

    // reg-name, IP-literal and port characters (RFC 3986 3.2.2): unreserved, pct-encoded, sub-delims, ":", "[", "]".
    private static readonly SearchValues<byte> HostChars = SearchValues.Create(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%!$&'()*+,;=:[]"u8);

    /// <summary>Which field a name is (ASCII case-insensitive).</summary>
    public static Field Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(name, "host"u8) => Field.Host,
        7 when Ascii.EqualsIgnoreCase(name, "upgrade"u8) => Field.Upgrade,
        14 when Ascii.EqualsIgnoreCase(name, "content-length"u8) => Field.ContentLength,
        17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) => Field.TransferEncoding,
        _ => Field.Other,
    };

    /// <summary><c>Content-Length = 1*DIGIT</c>: no sign, no list, no space inside, at most 18 digits.</summary>
    public static bool TryContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        value = Trim(value);
        if (value.IsEmpty || value.Length > 18)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            length = (length * 10) + (b - '0');
        }

        return true;
    }

    /// <summary>
    /// A non-empty <c>Host</c> made of <c>uri-host [ ":" port ]</c> characters; Kestrel judges the finer grammar.
    /// </summary>
    public static bool IsValidHost(ReadOnlySpan<byte> value)
    {
        value = Trim(value);
        return !value.IsEmpty && !value.ContainsAnyExcept(HostChars);
    }

    /// <summary>
    /// <c>Transfer-Encoding = #transfer-coding</c>, each a token with optional parameters; <c>chunked</c> only as the
    /// final coding (RFC 9112 6.1, 7).
    /// </summary>
    public static Coding TransferEncoding(ReadOnlySpan<byte> value)
    {
        var coding = Coding.Invalid;
        var any = false;
        foreach (var range in value.Split((byte)','))
        {
            var element = Trim(value[range]);
            if (element.IsEmpty)
            {
                continue; // RFC 9110 5.6.1: empty list elements are ignored.
            }

            if (coding == Coding.Chunked)
            {
                return Coding.Invalid; // chunked applied before another coding
            }

            var semicolon = element.IndexOf((byte)';');
            var name = Trim(semicolon < 0 ? element : element[..semicolon]);
            if (name.IsEmpty || name.ContainsAnyExcept(Http1Chars.Token))
            {
                return Coding.Invalid;
            }

            var chunked = Ascii.EqualsIgnoreCase(name, "chunked"u8);
            if (chunked && semicolon >= 0)
            {
                return Coding.Invalid; // chunked has no parameters
            }

            coding = chunked ? Coding.Chunked : Coding.NotChunked;
            any = true;
        }

        return any ? coding : Coding.Invalid;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);
}
