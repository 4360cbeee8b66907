using Microsoft.AspNetCore.Http;

namespace ActorSsgi.Server;

/// <summary>
/// Reads SSGI headers straight out of Kestrel's parsed header dictionary: nothing is copied or allocated for a
/// header the handler never asks for.
/// </summary>
internal static class RequestHeaderReader
{
    public static string? Get(IHeaderDictionary headers, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // Kestrel's dictionary is case-insensitive; a missing header is StringValues.Empty.
        var values = headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => string.Join(", ", values.ToArray()),
        };
    }

    public static IReadOnlyDictionary<string, string> GetAll(IHeaderDictionary headers)
    {
        var all = new Dictionary<string, string>(headers.Count, StringComparer.Ordinal);
        foreach (var (name, values) in headers)
        {
            all[name.ToLowerInvariant()] = values.Count == 1 ? values[0] ?? "" : string.Join(", ", values.ToArray());
        }

        return all;
    }

    public static InvalidOperationException Expired() => new(
        "The request headers are no longer available: SSGI headers are valid only until the handler's task completes " +
        "or it calls RunAsync (and, for WebSockets, until accept or reject). Read the headers you need before that.");
}
