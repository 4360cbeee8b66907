using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;

namespace RawKestrel;

/// <summary>The plain HTTP routes, written the way the TechEmpower "platform" entries write them.</summary>
internal static class Endpoints
{
    private static readonly byte[] PlaintextBody = "Hello, World!"u8.ToArray();

    // Per-thread serialization scratch: the handlers below never await, so the thread cannot change under us.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_jsonBuffer;
    [ThreadStatic] private static Utf8JsonWriter? t_jsonWriter;

    // Kestrel adds Server and Date itself (AddServerHeader defaults to true; Date comes from its cached
    // per-second value), so the handlers only set what varies per route.
    public static void Plaintext(IFeatureCollection features)
    {
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = 200;
        response.Headers.ContentType = "text/plain";
        response.Headers.ContentLength = PlaintextBody.Length;
        WriteBody(features, PlaintextBody);
    }

    public static void Json(IFeatureCollection features)
    {
        // Serialized per request (the point of the scenario), into a reused buffer so Content-Length is known.
        var buffer = t_jsonBuffer ??= new ArrayBufferWriter<byte>(64);
        buffer.ResetWrittenCount();
        var writer = t_jsonWriter ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, new JsonMessage("Hello, World!"), BaselineJsonContext.Default.JsonMessage);

        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = 200;
        response.Headers.ContentType = "application/json";
        response.Headers.ContentLength = buffer.WrittenCount;
        WriteBody(features, buffer.WrittenSpan);
    }

    // Copies into the response pipe without flushing. The explicit size hint matters: before the response has
    // started, Kestrel's writer answers GetSpan() (hint 0) with an empty span, which the generic
    // IBufferWriter.Write extension treats as an error.
    // No FlushAsync: Kestrel flushes when ProcessRequestAsync completes, which batches pipelined responses.
    private static void WriteBody(IFeatureCollection features, ReadOnlySpan<byte> body)
    {
        var writer = features.GetRequiredFeature<IHttpResponseBodyFeature>().Writer;
        body.CopyTo(writer.GetSpan(body.Length));
        writer.Advance(body.Length);
    }

    /// <summary>Echoes the request body as it arrives: pipe to pipe, no buffering beyond Kestrel's own.</summary>
    public static async Task StreamEchoAsync(IFeatureCollection features)
    {
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = 200;
        response.Headers.ContentType = "application/octet-stream";
        var body = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        PipeReader requestBody = features.GetRequiredFeature<IRequestBodyPipeFeature>().Reader;
        await requestBody.CopyToAsync(body.Writer);
    }
}

internal readonly record struct JsonMessage(string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JsonMessage))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
