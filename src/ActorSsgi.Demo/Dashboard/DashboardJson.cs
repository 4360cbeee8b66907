using System.Text.Json.Serialization;

namespace ActorSsgi.Demo.Dashboard;

/// <summary>
/// What <c>/ws/dashboard</c> pushes once a second: this node, the members, the rooms, the latest figures and the
/// series the page charts (the last five minutes, oldest first, one point a second).
/// </summary>
internal sealed record DashboardSnapshot(
    long Time,
    string Node,
    bool Clustered,
    IReadOnlyList<DashboardMember> Members,
    IReadOnlyList<DashboardRoom> Rooms,
    DashboardSample? Now,
    DashboardSeries Series,
    IReadOnlyList<string> Instruments);

internal sealed record DashboardMember(string Address, string Status, bool Reachable, bool Self, IReadOnlyList<string> Roles);

internal sealed record DashboardRoom(string Room, int Sessions);

internal sealed record DashboardSeries(int IntervalSeconds, long[] Time, double[] RequestsPerSecond, long[] WebSocketSessions);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DashboardSnapshot))]
internal sealed partial class DashboardJson : JsonSerializerContext;
