using System.Net;
using System.Net.Http.Headers;

namespace ActorSsgi.FunctionalTests.Files;

/// <summary>
/// ServeFile over HttpClient on a real server: the whole file with its validators, conditional GETs, single ranges,
/// and the paths it refuses.
/// </summary>
public sealed class FileResponseSpec : IClassFixture<FileServerFixture>, IDisposable
{
    private readonly FileServerFixture _files;
    private readonly HttpClient _client;

    public FileResponseSpec(FileServerFixture files)
    {
        _files = files;
        _client = files.Server.CreateClient();
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task A_text_file_is_served_whole_with_its_length_type_and_validators()
    {
        using var response = await _client.GetAsync(FileServer.Serve("hello.txt"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_files.Text, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(_files.Text.Length, response.Content.Headers.ContentLength);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.False(response.Headers.ETag!.IsWeak);
        var lastModified = File.GetLastWriteTimeUtc(Path.Combine(_files.Server.Root, "hello.txt"));
        Assert.Equal(lastModified.AddTicks(-(lastModified.Ticks % TimeSpan.TicksPerSecond)), response.Content.Headers.LastModified!.Value.UtcDateTime);
    }

    [Fact]
    public async Task A_five_mebibyte_binary_file_arrives_byte_for_byte_with_content_length()
    {
        using var response = await _client.GetAsync(FileServer.Serve("big.bin"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5 * 1024 * 1024, response.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(_files.Binary.AsSpan().SequenceEqual(body));
    }

    [Fact]
    public async Task A_matching_if_none_match_gets_304_with_the_etag_and_no_body()
    {
        var etag = await ETagOfAsync("hello.txt");
        using var request = new HttpRequestMessage(HttpMethod.Get, FileServer.Serve("hello.txt"));
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\""));
        request.Headers.IfNoneMatch.Add(etag);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_weak_form_of_the_etag_also_matches_if_none_match()
    {
        var etag = await ETagOfAsync("hello.txt");
        using var request = new HttpRequestMessage(HttpMethod.Get, FileServer.Serve("hello.txt"));
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag, isWeak: true));

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task If_modified_since_at_the_last_modified_time_gets_304_and_an_older_date_gets_the_file()
    {
        using var first = await _client.GetAsync(FileServer.Serve("hello.txt"));
        var lastModified = first.Content.Headers.LastModified!.Value;

        using var same = new HttpRequestMessage(HttpMethod.Get, FileServer.Serve("hello.txt"));
        same.Headers.IfModifiedSince = lastModified;
        using var older = new HttpRequestMessage(HttpMethod.Get, FileServer.Serve("hello.txt"));
        older.Headers.IfModifiedSince = lastModified.AddSeconds(-1);

        using var notModified = await _client.SendAsync(same);
        using var modified = await _client.SendAsync(older);

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.Equal(_files.Text, await modified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_byte_range_gets_206_with_exactly_those_bytes_and_content_range()
    {
        using var response = await GetRangeAsync("big.bin", new RangeHeaderValue(100, 199));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 100-199/{_files.Binary.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(100, response.Content.Headers.ContentLength);
        Assert.Equal(_files.Binary[100..200], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_suffix_range_gets_the_last_bytes_of_the_file()
    {
        using var response = await GetRangeAsync("big.bin", new RangeHeaderValue(null, 100));

        var length = _files.Binary.Length;
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {length - 100}-{length - 1}/{length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(_files.Binary[^100..], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_range_past_the_end_gets_416_with_the_length_in_content_range()
    {
        using var response = await GetRangeAsync("hello.txt", new RangeHeaderValue(1000, null));

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal($"bytes */{_files.Text.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Several_ranges_get_the_whole_file_with_200()
    {
        var ranges = new RangeHeaderValue(0, 1);
        ranges.Ranges.Add(new RangeItemHeaderValue(5, 6));

        using var response = await GetRangeAsync("hello.txt", ranges);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_files.Text, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task If_range_with_a_stale_etag_gets_the_whole_file_and_with_the_current_one_the_range()
    {
        var etag = await ETagOfAsync("big.bin");

        using var stale = await GetRangeAsync("big.bin", new RangeHeaderValue(0, 9), new RangeConditionHeaderValue("\"stale\""));
        using var current = await GetRangeAsync("big.bin", new RangeHeaderValue(0, 9), new RangeConditionHeaderValue(etag));

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(_files.Binary.Length, (await stale.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(HttpStatusCode.PartialContent, current.StatusCode);
        Assert.Equal(_files.Binary[..10], await current.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Serve_file_from_a_run_async_handler_still_honours_range_and_takes_the_given_content_type()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/serve-later?path=big.bin");
        request.Headers.Range = new RangeHeaderValue(10, 19);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("text/x-later", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(_files.Binary[10..20], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("missing.txt")]
    [InlineData("sub")]
    [InlineData("sub/")]
    public async Task A_missing_file_or_a_directory_gets_404(string path)
    {
        using var response = await _client.GetAsync(FileServer.Serve(path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("sub/../../outside/secret.txt")]
    [InlineData("../outside/missing.txt")]
    [InlineData("escape.txt")]
    public async Task A_path_that_escapes_the_root_by_dot_dot_or_by_a_symbolic_link_gets_403(string path)
    {
        using var response = await _client.GetAsync(FileServer.Serve(path));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_absolute_path_outside_the_root_gets_403()
    {
        using var response = await _client.GetAsync(FileServer.Serve(Path.Combine(_files.Server.Scratch, "outside", "secret.txt")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_symbolic_link_that_stays_inside_the_root_is_served()
    {
        var link = Path.Combine(_files.Server.Root, "sub", "inner-link.txt");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, Path.Combine(_files.Server.Root, "hello.txt"));
        }

        using var response = await _client.GetAsync(FileServer.Serve("sub/inner-link.txt"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_files.Text, await response.Content.ReadAsByteArrayAsync());
    }

    private async Task<EntityTagHeaderValue> ETagOfAsync(string path)
    {
        using var response = await _client.GetAsync(FileServer.Serve(path));
        return response.Headers.ETag ?? throw new InvalidOperationException("No ETag.");
    }

    private Task<HttpResponseMessage> GetRangeAsync(string path, RangeHeaderValue range, RangeConditionHeaderValue? ifRange = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, FileServer.Serve(path));
        request.Headers.Range = range;
        request.Headers.IfRange = ifRange;
        return _client.SendAsync(request);
    }
}
