using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>The JSON body of the demo's <c>/echo</c>: what the server passed to the SSGI entry.</summary>
public sealed record Echo(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("query_string")] string QueryString,
    [property: JsonPropertyName("server_address")] string ServerAddress,
    [property: JsonPropertyName("remote_address")] string RemoteAddress,
    [property: JsonPropertyName("headers")] Dictionary<string, string> Headers,
    [property: JsonPropertyName("body_base64")] string BodyBase64)
{
    public byte[] Body => Convert.FromBase64String(BodyBase64);

    public static Echo Parse(byte[] json) =>
        JsonSerializer.Deserialize<Echo>(json, new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow })
        ?? throw new InvalidDataException("The echo body was JSON null.");

    public static Echo Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));
}
