using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorSsgi.Demo.Http;

/// <summary>JSON bodies, serialized per request with System.Text.Json's source generator.</summary>
internal static class DemoJson
{
    public static byte[] Hello() => JsonSerializer.SerializeToUtf8Bytes(new HelloMessage("Hello, World!"), DemoJsonContext.Default.HelloMessage);

    public static byte[] AbortedCount(long count) => JsonSerializer.SerializeToUtf8Bytes(new AbortedCount(count), DemoJsonContext.Default.AbortedCount);

    public static byte[] Echo(EchoReply reply) => JsonSerializer.SerializeToUtf8Bytes(reply, DemoJsonContext.Default.EchoReply);
}

internal sealed record HelloMessage(string Message);

internal sealed record AbortedCount(long Aborted);

internal sealed record EchoReply(
    string Type,
    string Method,
    string Path,
    string QueryString,
    string ServerAddress,
    string RemoteAddress,
    IReadOnlyDictionary<string, string> Headers,
    string BodyBase64);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HelloMessage))]
[JsonSerializable(typeof(AbortedCount))]
[JsonSerializable(typeof(EchoReply))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
