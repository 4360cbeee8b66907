using System.Diagnostics;
using ActorSsgi.ClusterTests.Fixtures;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ActorSsgi.ClusterTests.Specs;

/// <summary>
/// The demo's live view (<c>/dashboard</c>) on a real two-node cluster, in headless Chromium: both members show up,
/// and after kill -9 of one the page shows it unreachable, then gone once the split-brain resolver downs it.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DashboardSpec(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    [Fact]
    public async Task A_killed_member_shows_unreachable_then_leaves_the_members_list()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        var watch = Stopwatch.StartNew();
        using var playwright = await Playwright.CreateAsync();

        // Chromium starts while the nodes do: both take seconds on a busy machine, and neither needs the other yet.
        var launching = playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
        await using var cluster = await TestCluster.StartAsync(2);
        await using var browser = await launching;
        output.WriteLine($"two nodes and chromium up after {watch.ElapsedMilliseconds} ms");
        await cluster.WithOutputOnFailure(async () =>
        {
            // Two nodes split one against one: the resolver's keep-majority keeps the side with the lowest address, so
            // the node with the higher port is the one killed, and the survivor downs it rather than itself.
            var ordered = cluster.Nodes.OrderBy(n => n.RemotePort).ToArray();
            var (watcher, victim) = (ordered[0], ordered[1]);
            var page = await browser.NewPageAsync();
            var response = await page.GotoAsync(new Uri(watcher.BaseAddress, "/dashboard").ToString(), new() { Timeout = 15_000 });
            Assert.True(response is { Ok: true }, $"GET /dashboard answered {response?.Status}");

            var self = page.Locator($"#members tr[data-address='{watcher.Address}']");
            var peer = page.Locator($"#members tr[data-address='{victim.Address}']");
            await Assertions.Expect(self).ToHaveAttributeAsync("data-self", "true", new() { Timeout = 10_000 });
            await Assertions.Expect(self).ToHaveAttributeAsync("data-status", "up");
            await Assertions.Expect(peer).ToHaveAttributeAsync("data-status", "up");
            await Assertions.Expect(peer).ToHaveAttributeAsync("data-reachable", "true");
            await Assertions.Expect(page.Locator("#node")).ToContainTextAsync("(clustered)");
            output.WriteLine($"page shows both members after {watch.ElapsedMilliseconds} ms");

            var killed = Stopwatch.StartNew();
            victim.KillHard();

            // Failure detection marks it unreachable in a few seconds; the page's next snapshot shows it.
            await Assertions.Expect(peer).ToHaveAttributeAsync("data-reachable", "false", new() { Timeout = 15_000 });
            await Assertions.Expect(peer.Locator(".state")).ToContainTextAsync("unreachable");
            output.WriteLine($"kill -9 to unreachable on the page: {killed.ElapsedMilliseconds} ms");

            // Then the resolver downs it after stable-after, and it leaves the list; this node stays up.
            await Assertions.Expect(peer).ToHaveCountAsync(0, new() { Timeout = (float)(TestCluster.StableAfter + TimeSpan.FromSeconds(15)).TotalMilliseconds });
            await Assertions.Expect(page.Locator("#members")).ToHaveAttributeAsync("data-count", "1");
            await Assertions.Expect(self).ToHaveAttributeAsync("data-status", "up");
            output.WriteLine($"kill -9 to removal on the page: {killed.ElapsedMilliseconds} ms ({watch.ElapsedMilliseconds} ms in all)");
        });
    }
}
