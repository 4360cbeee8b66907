using System.Text;

namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>A response head as it came off the wire.</summary>
public sealed record RawHttpHead(string Version, int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The values of <paramref name="name"/> (any case), joined with ", ", or null.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToArray();
        return values.Length == 0 ? null : string.Join(", ", values);
    }

    public long? ContentLength => Header("content-length") is { } value ? long.Parse(value) : null;

    public bool IsChunked => Header("transfer-encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    public bool ClosesConnection => Header("connection")?.Contains("close", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>A whole response: head and de-framed body.</summary>
public sealed record RawHttpResponse(RawHttpHead Head, byte[] Body)
{
    public int Status => Head.Status;

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Head.Header(name);
}
