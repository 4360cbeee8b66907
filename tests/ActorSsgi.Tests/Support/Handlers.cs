namespace ActorSsgi.Tests.Support;

/// <summary>Short ways to write SSGI entries in specs: most take only the parts of the eight inputs they use.</summary>
internal static class Handlers
{
    /// <summary>An entry that uses only the response.</summary>
    public static SsgiHandler<ISsgiHttpResponse> Entry(Func<ISsgiHttpResponse, ValueTask> handler) =>
        (_, _, _, _, _, _, _, res) => handler(res);

    /// <summary>A synchronous entry that uses only the response.</summary>
    public static SsgiHandler<ISsgiHttpResponse> Sync(Action<ISsgiHttpResponse> handler) =>
        (_, _, _, _, _, _, _, res) =>
        {
            handler(res);
            return default;
        };

    /// <summary>An entry that uses the headers and the response.</summary>
    public static SsgiHandler<ISsgiHttpResponse> WithHeaders(Func<ISsgiHeaders, ISsgiHttpResponse, ValueTask> handler) =>
        (_, _, _, _, _, _, headers, res) => handler(headers, res);
}

/// <summary>A framework that serves HTTP with one entry.</summary>
internal sealed class HttpFramework(SsgiHandler<ISsgiHttpResponse> handler) : ISsgiFramework
{
    public IReadOnlyDictionary<string, string>? Offered { get; private set; }

    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces)
    {
        Offered = supportedInterfaces;
        return new SsgiSupported(SsgiInterfaces.Bind(handler), null);
    }
}

/// <summary>A framework returning whatever bindings a spec gives it.</summary>
internal sealed class FixedFramework(SsgiSupported? supported) : ISsgiFramework
{
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) => supported!;
}
