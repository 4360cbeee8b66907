using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>The body of GET /chat/history?room=R.</summary>
public sealed record RoomHistoryReply(
    [property: JsonPropertyName("room")] string Room,
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("messages")] IReadOnlyList<string> Messages)
{
    public static async Task<RoomHistoryReply> GetAsync(HttpClient http, Uri node, string room)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        return (await http.GetFromJsonAsync<RoomHistoryReply>(new Uri(node, $"/chat/history?room={Uri.EscapeDataString(room)}"), timeout.Token))!;
    }

    public override string ToString() => $"{Room} owned by {Owner}: {Messages.Count} messages, last '{Messages.LastOrDefault()}'";
}
