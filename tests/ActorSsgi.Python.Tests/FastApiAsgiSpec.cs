using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ActorSsgi.Python.Tests;

/// <summary>A real FastAPI 0.92 app (Debian's python3-fastapi) served as ASGI: validation and a lifespan handler.</summary>
[Collection(PythonCollection.Name)]
public sealed class FastApiAsgiSpec(FastApiServer fastapi)
{
    private readonly HttpClient _client = fastapi.Server.CreateClient();

    [Fact]
    public async Task State_set_by_the_lifespan_startup_must_be_seen_by_requests()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/"));
        Assert.Equal("set by lifespan startup", json.RootElement.GetProperty("greeting").GetString());
    }

    [Fact]
    public async Task A_valid_JSON_body_must_be_parsed_by_pydantic_and_answered()
    {
        using var response = await _client.PostAsJsonAsync("/items", new { name = "pen", price = 10.0, tags = new[] { "a" } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(12.0, json.RootElement.GetProperty("price_with_tax").GetDouble());
    }

    [Fact]
    public async Task An_invalid_body_must_get_FastAPIs_422_with_the_failing_field()
    {
        using var response = await _client.PostAsJsonAsync("/items", new { name = "pen", price = "not a number" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("price", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Path_and_query_parameters_must_be_converted_and_a_bad_one_must_be_a_422()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync("/items/42?q=x"));
        Assert.Equal(42, json.RootElement.GetProperty("item_id").GetInt32());
        Assert.Equal("x", json.RootElement.GetProperty("q").GetString());
        using var bad = await _client.GetAsync("/items/forty-two");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
    }
}

/// <summary>The lifespan protocol's edge cases: a failed startup is a clear start error, no lifespan is fine.</summary>
[Collection(PythonCollection.Name)]
public sealed class AsgiLifespanSpec
{
    [Fact]
    public async Task A_failed_lifespan_startup_must_stop_the_servers_start_with_its_message()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => PythonServer.StartAsync("lifespan_apps:failing_startup", PythonInterfaces.Asgi).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("the database is unreachable", error.ToString());
    }

    [Fact]
    public async Task An_app_without_lifespan_support_must_be_served()
    {
        await using var server = await PythonServer.StartAsync("lifespan_apps:no_lifespan", PythonInterfaces.Asgi);
        using var client = server.CreateClient();
        Assert.Equal("served without lifespan", await client.GetStringAsync("/"));
    }
}
