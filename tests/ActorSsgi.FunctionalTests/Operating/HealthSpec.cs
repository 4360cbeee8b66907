using System.Net;
using System.Text.Json;
using ActorSsgi.FunctionalTests.Fixtures;
using Akka.Actor;

namespace ActorSsgi.FunctionalTests.Operating;

/// <summary>
/// <c>ActorSsgi:Health</c> over real sockets: liveness and readiness answered before the application sees the
/// request, readiness 503 as soon as a drain starts (CoordinatedShutdown), the probe paths the application's own when
/// probes are off.
/// </summary>
public sealed class HealthSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Live_and_ready_answer_200_with_their_checks_and_the_application_never_sees_them()
    {
        await using var server = await OperatingServer.StartAsync("ActorSsgi:Health:Enabled=true");
        using var client = server.CreateClient();

        var (liveStatus, live) = await ProbeAsync(client, "/healthz/live");
        var (readyStatus, ready) = await ProbeAsync(client, "/healthz/ready");
        Assert.Equal("hello", await client.GetStringAsync("/app"));

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("Healthy", live.GetProperty("status").GetString());
        Assert.Equal("Healthy", live.GetProperty("checks").GetProperty("actorssgi-actor-system").GetProperty("status").GetString());
        Assert.False(live.GetProperty("checks").TryGetProperty("actorssgi", out _), "readiness is not part of liveness");
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("actorssgi").GetProperty("status").GetString());
        Assert.Equal("listening", ready.GetProperty("checks").GetProperty("actorssgi").GetProperty("description").GetString());
        Assert.Contains(server.Framework.Seen, v => v.Path == "/app");
        Assert.DoesNotContain(server.Framework.Seen, v => v.Path.StartsWith("/healthz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_answers_503_as_soon_as_a_drain_starts_while_liveness_stays_200()
    {
        // The drain delay keeps the listener open for the probes after the drain has started.
        await using var server = await OperatingServer.StartAsync("ActorSsgi:Health:Enabled=true", "ActorSsgi:Health:DrainDelay=00:00:04");
        using var client = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(client, "/healthz/ready")).Status);

        var shutdown = CoordinatedShutdown.Get(server.ActorSystem).Run(CoordinatedShutdown.ClrExitReason.Instance);

        using var fresh = server.CreateClient(); // a new connection, as an orchestrator's probe would make
        var (status, ready) = await Eventually.Until(
            () => ProbeAsync(fresh, "/healthz/ready"),
            r => r.Status == HttpStatusCode.ServiceUnavailable,
            Timeout,
            "readiness to fail once draining");
        Assert.Equal("Unhealthy", ready.GetProperty("status").GetString());
        Assert.Equal("draining", ready.GetProperty("checks").GetProperty("actorssgi").GetProperty("description").GetString());
        Assert.False(shutdown.IsCompleted, "the drain delay had not passed yet");
        Assert.Equal(HttpStatusCode.OK, (await ProbeAsync(fresh, "/healthz/live")).Status);
        await shutdown.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(server.Framework.Seen, v => v.Path.StartsWith("/healthz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_probes_off_the_probe_paths_belong_to_the_application()
    {
        await using var server = await OperatingServer.StartAsync();
        using var client = server.CreateClient();

        Assert.Equal("hello", await client.GetStringAsync("/healthz/ready"));
        Assert.Contains(server.Framework.Seen, v => v.Path == "/healthz/ready");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ProbeAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
