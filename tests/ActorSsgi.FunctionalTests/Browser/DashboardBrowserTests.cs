using System.Diagnostics;
using ActorSsgi.FunctionalTests.Dashboard;
using ActorSsgi.FunctionalTests.WebSockets;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.Browser;

/// <summary>
/// The demo's live view (<c>/dashboard</c>) in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
/// it renders this node and a joined room, its requests/s chart rises under real HTTP load, and a member going down
/// (from a fake membership source) shows. The page records what it drew in data attributes, which the expectations
/// poll with a bound.
/// </summary>
public sealed class DashboardBrowserTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private const float Bound = 10_000;

    [Fact]
    public async Task The_page_shows_this_node_up_and_a_room_once_a_client_joins_it()
    {
        await using var host = await DashboardHost.StartAsync();
        await WithPageAsync(host, async page =>
        {
            // One member: this node, as Akka names it on a single node, up and reachable.
            var self = page.Locator("#members tr[data-self=true]");
            await Assertions.Expect(self).ToHaveCountAsync(1, new() { Timeout = Bound });
            await Assertions.Expect(self).ToHaveAttributeAsync("data-status", "up");
            await Assertions.Expect(self).ToHaveAttributeAsync("data-reachable", "true");
            await Assertions.Expect(self).ToContainTextAsync("(this node)");
            await Assertions.Expect(page.Locator("#node")).ToContainTextAsync("single node");

            var room = "dash-" + Guid.NewGuid().ToString("N")[..8];
            using var member = await WsClient.ConnectAsync(host.Ws($"/ws/chat?room={room}"));
            var row = page.Locator($"#rooms tr[data-room='{room}']");
            await Assertions.Expect(row).ToHaveAttributeAsync("data-sessions", "1", new() { Timeout = Bound });
            await Assertions.Expect(row).ToContainTextAsync(room);
        });
    }

    [Fact]
    public async Task The_requests_chart_rises_under_load()
    {
        await using var host = await DashboardHost.StartAsync();
        await WithPageAsync(host, async page =>
        {
            // The chart has points (the clock ticks) before any load, and nothing but this page ran yet.
            await page.WaitForFunctionAsync("() => Number(document.getElementById('chart-requests').dataset.points) >= 1", null, new() { Timeout = Bound });

            // Three seconds of GET /plaintext over four connections, bounded by time.
            using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var requests = 0;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                while (watch.Elapsed < TimeSpan.FromSeconds(3))
                {
                    (await http.GetAsync("/plaintext")).EnsureSuccessStatusCode();
                    Interlocked.Increment(ref requests);
                }
            }));
            output.WriteLine($"{requests} requests in {watch.ElapsedMilliseconds} ms");

            await page.WaitForFunctionAsync("() => Number(document.getElementById('chart-requests').dataset.max) > 0", null, new() { Timeout = Bound });
            var max = double.Parse(await page.Locator("#chart-requests").GetAttributeAsync("data-max") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            output.WriteLine($"chart's highest point: {max} requests/s");
            // At most every request the test made in one second was counted in one sample (a bound that can fail).
            Assert.InRange(max, 1, requests + 10);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "browser-dashboard.png"), FullPage = true });
        });
    }

    [Fact]
    public async Task A_member_going_unreachable_then_down_shows()
    {
        var membership = new FakeMembership();
        await using var host = await DashboardHost.StartAsync(membership);
        await WithPageAsync(host, async page =>
        {
            var peer = page.Locator($"#members tr[data-address='{FakeMembership.PeerAddress}']");
            await Assertions.Expect(peer).ToHaveAttributeAsync("data-reachable", "true", new() { Timeout = Bound });
            await Assertions.Expect(page.Locator("#members")).ToHaveAttributeAsync("data-count", "2");

            membership.SetPeer("up", reachable: false);
            await Assertions.Expect(peer).ToHaveAttributeAsync("data-reachable", "false", new() { Timeout = Bound });
            await Assertions.Expect(peer.Locator(".state")).ToHaveTextAsync("up, unreachable");

            membership.SetPeer("down", reachable: false);
            await Assertions.Expect(peer).ToHaveAttributeAsync("data-status", "down", new() { Timeout = Bound });
            await Assertions.Expect(page.Locator("#members tr[data-self=true]")).ToHaveAttributeAsync("data-status", "up");
        });
    }

    private async Task WithPageAsync(DashboardHost host, Func<IPage, Task> scenario)
    {
        var watch = Stopwatch.StartNew();
        // A context per test: a visitor of its own (no shared cache or storage), in the class's one browser.
        await using var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(new Uri(host.BaseAddress, "/dashboard").ToString(), new() { Timeout = 15_000 });
        Assert.True(response is { Ok: true }, $"GET /dashboard answered {response?.Status}");
        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = Bound });
        output.WriteLine($"page live after {watch.ElapsedMilliseconds} ms");
        await scenario(page);
        output.WriteLine($"{watch.ElapsedMilliseconds} ms in all");
    }
}

/// <summary>One headless Chromium for a test class: starting it is the slowest step of a browser test.</summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
