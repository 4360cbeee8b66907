using System.Net;
using System.Net.Sockets;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Telemetry;

/// <summary>
/// The demo process with <c>ActorSsgi:Telemetry:Prometheus:Port</c> set serves an OpenTelemetry Prometheus scrape
/// endpoint on that port; after real requests, the request histogram is there with its labels.
/// </summary>
public sealed class PrometheusExportSpec
{
    [Fact]
    public async Task Scrape_finds_the_request_histogram_with_method_and_status_labels()
    {
        var port = FreePort();
        await using var demo = await DemoProcess.StartAsync($"ActorSsgi:Telemetry:Prometheus:Port={port}");
        using var client = new HttpClient { BaseAddress = demo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/plaintext")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/no-such-route")).StatusCode);

        using var scraper = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var scrape = new Uri($"http://127.0.0.1:{port}/metrics");
        // The exporter caches a scrape briefly, and the last request is recorded just after its response went out.
        var text = await Eventually.Until(
            () => scraper.GetStringAsync(scrape),
            body => Bucket(body, "200") is not null && Bucket(body, "404") is not null,
            TimeSpan.FromSeconds(20),
            "request buckets for 200 and 404 in the scrape");

        var ok = Bucket(text, "200")!;
        Assert.Contains("http_request_method=\"GET\"", ok);
        Assert.Contains("url_scheme=\"http\"", ok);
        Assert.Contains("network_protocol_version=\"1.1\"", ok);
        Assert.Contains("http_server_request_duration_seconds_count{", text);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text);
    }

    [Fact]
    public async Task A_clustered_node_exports_its_members_and_the_topic_messages_its_relay_received()
    {
        var port = FreePort();
        var clusterPort = FreePort();
        await using var demo = await DemoProcess.StartAsync(
            $"ActorSsgi:Telemetry:Prometheus:Port={port}",
            "ActorSsgi:Cluster:Enabled=true",
            "ActorSsgi:Cluster:Hostname=127.0.0.1",
            $"ActorSsgi:Cluster:Port={clusterPort}",
            $"ActorSsgi:Cluster:SeedNodes:0=akka.tcp://actorssgi@127.0.0.1:{clusterPort}");
        using var scraper = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var scrape = new Uri($"http://127.0.0.1:{port}/metrics");
        await Eventually.Until(() => scraper.GetStringAsync(scrape), body => Value(body, "actorssgi_cluster_members_up") == 1, TimeSpan.FromSeconds(60), "one member up");

        // A chat message goes through DistributedPubSub and back to this node's relay. The relay subscribes to the
        // mediator asynchronously after the session joined, so messages go out every 200 ms until one comes back.
        var chat = new Uri(demo.BaseAddress.ToString().Replace("http://", "ws://") + "ws/chat?room=prometheus");
        using var alice = await WebSockets.WsClient.ConnectAsync(chat);
        using var stop = new CancellationTokenSource();
        var sender = Task.Run(async () =>
        {
            for (var i = 0; i < 100 && !stop.IsCancellationRequested; i++)
            {
                await WebSockets.WsClient.SendTextAsync(alice, "m" + i);
                await Task.Delay(200);
            }
        });
        var back = await WebSockets.WsClient.ReceiveAsync(alice, TimeSpan.FromSeconds(20), "a chat message back through the cluster");
        stop.Cancel();
        await sender;
        Assert.StartsWith("m", back.Text);
        var text = await Eventually.Until(() => scraper.GetStringAsync(scrape), body => Value(body, "actorssgi_cluster_deliveries_remote_total") >= 1, TimeSpan.FromSeconds(20), "a delivery from the cluster counted");
        Assert.Equal(0, Value(text, "actorssgi_cluster_members_unreachable"));
    }

    /// <summary>The value of the first sample of <paramref name="metric"/> (with or without labels), or null.</summary>
    private static double? Value(string body, string metric) => body
        .Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
        // "name{labels} value [timestamp]": the value is the first field after the name and labels.
        .Select(line => (double?)double.Parse(SampleValue(line, metric), System.Globalization.CultureInfo.InvariantCulture))
        .FirstOrDefault();

    private static string SampleValue(string line, string metric)
    {
        var rest = line.Contains('{') ? line[(line.LastIndexOf('}') + 1)..] : line[metric.Length..];
        return rest.Trim().Split(' ')[0];
    }

    /// <summary>A line <c>http_server_request_duration_seconds_bucket{...status_code="STATUS"...le="+Inf"}</c>.</summary>
    private static string? Bucket(string body, string status) => body
        .Split('\n')
        .FirstOrDefault(line => line.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal)
            && line.Contains($"http_response_status_code=\"{status}\"", StringComparison.Ordinal)
            && line.Contains("le=\"+Inf\"", StringComparison.Ordinal));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
