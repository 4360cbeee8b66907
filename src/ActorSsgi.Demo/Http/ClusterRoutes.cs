using System.Text.Json;
using System.Text.Json.Serialization;
using ActorSsgi.Cluster.Membership;
using ActorSsgi.Demo.Chat;
using Akka.Actor;

namespace ActorSsgi.Demo.Http;

/// <summary>
/// <c>GET /cluster/members</c>: <c>{"members":[{"address":...,"status":"up","roles":[...],"reachable":true}]}</c>, the
/// cluster as this node sees it (one local member on a single node). <c>GET /chat/history?room=R</c>: the room's
/// history and the node that owns it, <c>{"room":R,"owner":...,"messages":[...]}</c> (text messages as strings,
/// binary ones base64).
/// </summary>
internal sealed class ClusterRoutes
{
    private readonly ActorSystem? _system;
    private readonly RoomHistory? _history;

    public ClusterRoutes(ActorSystem? system, RoomHistory? history)
    {
        _system = system;
        _history = history;
    }

    public ValueTask Members(ISsgiHttpResponse res)
    {
        if (_system is null)
        {
            return NotAvailable(res, "this host runs the demo without an actor system to ask");
        }

        var members = SsgiClusterMembers.Of(_system)
            .Select(m => new MemberJson(m.Address, m.Status, m.Roles, m.Reachable))
            .ToArray();
        res.SendHeaders(("content-type", "application/json"), ("cache-control", "no-store"));
        res.Send(JsonSerializer.SerializeToUtf8Bytes(new MembersJson(members), ClusterJson.Default.MembersJson));
        return default;
    }

    public ValueTask History(string? room, ISsgiHttpResponse res)
    {
        if (_history is null)
        {
            return NotAvailable(res, "this host runs the demo without room entities");
        }

        if (string.IsNullOrWhiteSpace(room))
        {
            HttpRoutes.BadRequest(res, "room is required");
            return default;
        }

        return SendHistory(_history, room, res);
    }

    private static async ValueTask SendHistory(RoomHistory history, string room, ISsgiHttpResponse res)
    {
        var found = await history.TryGet(room);
        if (res.Aborted)
        {
            return;
        }

        if (found is null)
        {
            res.SendStatus(503);
            res.SendHeaders(("content-type", "text/plain"), ("retry-after", "1"));
            res.Send("the room's entity did not answer in time (is its shard moving?)");
            return;
        }

        var messages = found.Lines.Select(l => l.IsText ? System.Text.Encoding.UTF8.GetString(l.Data) : Convert.ToBase64String(l.Data)).ToArray();
        res.SendHeaders(("content-type", "application/json"), ("cache-control", "no-store"));
        res.Send(JsonSerializer.SerializeToUtf8Bytes(new HistoryJson(room, found.Owner, messages), ClusterJson.Default.HistoryJson));
    }

    private static ValueTask NotAvailable(ISsgiHttpResponse res, string reason)
    {
        res.SendStatus(404);
        res.SendHeaders(("content-type", "text/plain"));
        res.Send(reason);
        return default;
    }
}

internal sealed record MemberJson(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable);

internal sealed record MembersJson(IReadOnlyList<MemberJson> Members);

internal sealed record HistoryJson(string Room, string Owner, IReadOnlyList<string> Messages);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MembersJson))]
[JsonSerializable(typeof(HistoryJson))]
internal sealed partial class ClusterJson : JsonSerializerContext;
