using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>The body of GET /cluster/members.</summary>
public sealed record MembersReply([property: JsonPropertyName("members")] IReadOnlyList<MemberReply> Members)
{
    public static async Task<MembersReply> GetAsync(HttpClient http, Uri node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return (await http.GetFromJsonAsync<MembersReply>(new Uri(node, "/cluster/members"), timeout.Token))!;
    }

    /// <summary>The addresses of the members that are up and reachable, sorted.</summary>
    public IReadOnlyList<string> UpAndReachable => Members.Where(m => m.Status == "up" && m.Reachable).Select(m => m.Address).Order(StringComparer.Ordinal).ToArray();

    public override string ToString() => string.Join(", ", Members.Select(m => $"{m.Address} {m.Status}{(m.Reachable ? "" : " unreachable")}"));
}

public sealed record MemberReply(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("reachable")] bool Reachable);
