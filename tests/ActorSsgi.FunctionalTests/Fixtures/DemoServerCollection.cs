namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>One demo server with the default settings, shared by every class in <see cref="DemoServerCollection"/>.</summary>
public sealed class SharedDemoServer : IAsyncLifetime
{
    private DemoServer? _server;

    public DemoServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await DemoServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The classes that share the default demo server (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class DemoServerCollection : ICollectionFixture<SharedDemoServer>
{
    public const string Name = "shared demo server";
}
