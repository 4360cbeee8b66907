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
