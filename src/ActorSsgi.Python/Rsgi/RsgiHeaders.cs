using System.Globalization;

namespace ActorSsgi.Python.Rsgi;

/// <summary>The app's response headers, flattened by Python as <c>name\0value\0...</c> so they cross in one string.</summary>
internal static class RsgiHeaders
{
    /// <summary>Sends the headers except Content-Length, which the server sets; returns the app's Content-Length, if any.</summary>
    public static long? Send(ISsgiHttpResponse res, string flat)
    {
        if (flat.Length == 0)
        {
            return null;
        }

        var parts = flat.Split('\0');
        if (parts.Length % 2 != 0)
        {
            throw new InvalidOperationException("An RSGI response header contains a NUL character.");
        }

        long? length = null;
        var headers = new List<KeyValuePair<string, string>>(parts.Length / 2);
        for (var i = 0; i < parts.Length; i += 2)
        {
            if (parts[i].Equals("content-length", StringComparison.OrdinalIgnoreCase))
            {
                length = long.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
                    : throw new InvalidOperationException($"The RSGI response's content-length '{parts[i + 1]}' is not a number.");
            }
            else
            {
                headers.Add(new(parts[i], parts[i + 1]));
            }
        }

        res.SendHeaders(headers);
        return length;
    }
}
