using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorSsgi.Demo.WebSockets;

/// <summary>
/// <c>/ws/user?id=U</c>: a session addressable by its user id, on whatever node it is connected to. It sends
/// <c>{"to":"V","text":"..."}</c>; every session of user V receives <c>{"from":"U","text":"..."}</c>, and the sender
/// gets <c>{"status":"delivered"|"no-session"|"undeliverable","sessions":N,"unreachable":N,"reason":...}</c>.
/// </summary>
internal static class DirectMessages
{
    private const int MaxUserId = 64;

    public static async ValueTask Connect(string? user, ISsgiWebSocket ws)
    {
        if (string.IsNullOrWhiteSpace(user) || user.Length > MaxUserId)
        {
            await ws.Reject(400, Encoding.UTF8.GetBytes($"id must be 1-{MaxUserId} characters"));
            return;
        }

        var sessions = ws.Sessions() ?? throw new InvalidOperationException("This server offers no addressable sessions.");

        // Bound before the upgrade completes: once the client is connected, any node can reach it.
        await sessions.Bind(KeyOf(user));
        ws.OnReceive((socket, message) => Forward(socket, user, message));
        await ws.Accept();
    }

    private static async ValueTask Forward(ISsgiWebSocket ws, string user, SsgiMessage message)
    {
        DirectMessage? request;
        try
        {
            request = JsonSerializer.Deserialize(message.Data.Span, DirectMessagesJson.Default.DirectMessage);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is not { To.Length: > 0, Text: not null })
        {
            await ws.Send("""{"status":"error","reason":"send {\"to\":\"user\",\"text\":\"...\"}"}""");
            return;
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(new Delivered(user, request.Text), DirectMessagesJson.Default.Delivered);
        var result = await ws.Sessions()!.SendTo(KeyOf(request.To), new SsgiMessage(payload, isText: true));
        var status = result.Status switch
        {
            SsgiKeyedSendStatus.Delivered => "delivered",
            SsgiKeyedSendStatus.NoSession => "no-session",
            _ => "undeliverable",
        };
        await ws.Send(JsonSerializer.Serialize(new SendReport(status, result.Sessions, result.Unreachable, result.Reason), DirectMessagesJson.Default.SendReport));
    }

    private static string KeyOf(string user) => "user:" + user;
}

internal sealed record DirectMessage(string? To, string? Text);

internal sealed record Delivered(string From, string Text);

internal sealed record SendReport(string Status, int Sessions, int Unreachable, string? Reason);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DirectMessage))]
[JsonSerializable(typeof(Delivered))]
[JsonSerializable(typeof(SendReport))]
internal sealed partial class DirectMessagesJson : JsonSerializerContext;
