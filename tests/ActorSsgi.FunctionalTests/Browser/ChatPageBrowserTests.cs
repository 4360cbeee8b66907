using System.Diagnostics;
using ActorSsgi.FunctionalTests.WebSockets;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.Browser;

/// <summary>
/// The demo's chat page in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright): two pages join
/// one room, and what one types appears in the other's log.
/// </summary>
public sealed class ChatPageBrowserTests(WsServerFixture fixture, ITestOutputHelper output) : IClassFixture<WsServerFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    [Fact]
    public async Task A_message_typed_in_one_page_appears_in_another_page_in_the_same_room()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium");
        var watch = Stopwatch.StartNew();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Playwright gives the browser a fresh, empty temporary profile (user-data-dir) of its own.
            Args = ChromiumArgs,
            Timeout = 30_000,
        });
        output.WriteLine($"chromium {browser.Version} up after {watch.ElapsedMilliseconds} ms");
        try
        {
            // Two contexts: two independent visitors.
            await using var aliceContext = await browser.NewContextAsync();
            await using var bobContext = await browser.NewContextAsync();
            var alice = await aliceContext.NewPageAsync();
            var bob = await bobContext.NewPageAsync();
            var room = "browser-" + Guid.NewGuid().ToString("N")[..8];
            await JoinAsync(alice, room);
            await JoinAsync(bob, room);

            await alice.FillAsync("#message", "hello from alice");
            await alice.ClickAsync("#send-button");

            // Playwright's expectations retry until they hold or their timeout passes.
            var bobsLine = bob.Locator("#log div.message", new() { HasTextString = "hello from alice" });
            await Assertions.Expect(bobsLine).ToHaveCountAsync(1, new() { Timeout = 10_000 });
            await Assertions.Expect(alice.Locator("#log div.message", new() { HasTextString = "hello from alice" })).ToHaveCountAsync(1, new() { Timeout = 10_000 });

            // And back the other way, by pressing Enter this time.
            await bob.FillAsync("#message", "hi alice");
            await bob.PressAsync("#message", "Enter");
            await Assertions.Expect(alice.Locator("#log div.message", new() { HasTextString = "hi alice" })).ToHaveCountAsync(1, new() { Timeout = 10_000 });
            Assert.Equal(["hello from alice", "hi alice"], await alice.Locator("#log div.message").AllInnerTextsAsync());

            var screenshot = Path.Combine(AppContext.BaseDirectory, "browser-chat-bob.png");
            await bob.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            await alice.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "browser-chat-alice.png"), FullPage = true });
            output.WriteLine($"screenshots: {screenshot} and browser-chat-alice.png beside it ({watch.ElapsedMilliseconds} ms in all)");
            Assert.True(new FileInfo(screenshot).Length > 0);
        }
        finally
        {
            await browser.CloseAsync();
        }
    }

    private async Task JoinAsync(IPage page, string room)
    {
        var response = await page.GotoAsync(fixture.Server.BaseAddress.ToString(), new() { Timeout = 15_000 });
        Assert.True(response is { Ok: true }, $"GET / answered {response?.Status}");
        await page.FillAsync("#room", room);
        await page.ClickAsync("#join-button");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync($"in room {room}", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#message")).ToBeEnabledAsync();
    }
}
