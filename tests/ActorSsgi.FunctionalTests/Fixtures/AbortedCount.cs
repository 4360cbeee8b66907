using System.Text.Json;

namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>Reads the demo's <c>GET /aborted-count</c> (how many on_aborted callbacks ran).</summary>
public static class AbortedCount
{
    public static async Task<long> ReadAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/aborted-count");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("aborted").GetInt64();
    }

    /// <summary>
    /// Waits until the count reaches <paramref name="baseline"/> + 1, then checks it stays there for a while:
    /// on_aborted ran, and exactly once.
    /// </summary>
    public static async Task ExpectExactlyOneMoreAsync(HttpClient client, long baseline)
    {
        var reached = await Eventually.Until(() => ReadAsync(client), c => c >= baseline + 1, TimeSpan.FromSeconds(10), "on_aborted to be counted");
        Assert.Equal(baseline + 1, reached);
        await Eventually.Holds(() => ReadAsync(client), c => c == baseline + 1, TimeSpan.FromMilliseconds(300), $"the aborted count to stay at {baseline + 1}");
    }
}
