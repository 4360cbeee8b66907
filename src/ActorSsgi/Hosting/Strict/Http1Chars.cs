using System.Buffers;

namespace ActorSsgi.Hosting.Strict;

/// <summary>The RFC 9110/9112 character classes the strict HTTP/1.1 filter searches with (vectorised).</summary>
internal static class Http1Chars
{
    /// <summary><c>tchar</c> (RFC 9110 5.6.2): what a field name, a method or a chunk-extension token is made of.</summary>
    public static readonly SearchValues<byte> Token = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// A field value's bytes (RFC 9110 5.5): VCHAR, obs-text, SP and HTAB. CR, LF, NUL and the other controls are
    /// not in it, so one search finds the end of the value or the first forbidden byte.
    /// </summary>
    public static readonly SearchValues<byte> FieldValue = SearchValues.Create(Range(0x20, 0x7E, 0x80, 0xFF, '\t'));

    /// <summary>
    /// A request line's bytes: VCHAR, SP and obs-text (Kestrel judges the target's own grammar and answers it with
    /// its own codes). No control, not even HTAB, and no <c>#</c>: a request target has no fragment (RFC 9112 3.2).
    /// </summary>
    public static readonly SearchValues<byte> RequestLine = SearchValues.Create(Exclude(Range(0x20, 0x7E, 0x80, 0xFF, null), (byte)'#'));

    /// <summary><c>qdtext</c> (RFC 9110 5.6.4): a quoted string's bytes other than its escapes.</summary>
    public static readonly SearchValues<byte> QuotedText = SearchValues.Create(Exclude(Range(0x20, 0x7E, 0x80, 0xFF, '\t'), (byte)'"', (byte)'\\'));

    /// <summary>Whether <paramref name="b"/> is a <c>tchar</c>.</summary>
    public static bool IsToken(byte b) => Token.Contains(b);

    /// <summary>Whether <paramref name="b"/> may follow a backslash in a quoted string (HTAB, SP, VCHAR, obs-text).</summary>
    public static bool IsQuotable(byte b) => b == '\t' || (b >= 0x20 && b != 0x7F);

    /// <summary>The value of a hexadecimal digit, or -1.</summary>
    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static byte[] Range(int from, int to, int from2, int to2, char? extra)
    {
        var bytes = new List<byte>();
        for (var b = from; b <= to; b++)
        {
            bytes.Add((byte)b);
        }

        for (var b = from2; b <= to2; b++)
        {
            bytes.Add((byte)b);
        }

        if (extra is { } e)
        {
            bytes.Add((byte)e);
        }

        return bytes.ToArray();
    }

    private static byte[] Exclude(byte[] bytes, params byte[] excluded) => bytes.Where(b => !excluded.Contains(b)).ToArray();
}
