namespace ActorSsgi.Cli.Tests;

/// <summary>
/// The .NET target the specs serve: the command loads it from this test assembly by path. It takes the host's
/// services in its constructor, so a spec sees that the command lets the container create it.
/// </summary>
public sealed class PidFramework(IServiceProvider services) : ISsgiFramework
{
    /// <inheritdoc />
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) =>
        new(SsgiInterfaces.Bind<ISsgiHttpResponse>(Answer), null);

    private ValueTask Answer(SsgiType type, string serverAddress, string remoteAddress, string method, string path, string queryString, ISsgiHeaders getHeader, ISsgiHttpResponse res)
    {
        res.Send($"ssgi pid={Environment.ProcessId} services={services is not null} path={path}");
        return default;
    }
}

/// <summary>A type that is no framework, for the spec that the command refuses it.</summary>
public sealed class NotAFramework;
