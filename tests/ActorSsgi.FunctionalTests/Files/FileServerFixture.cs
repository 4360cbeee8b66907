namespace ActorSsgi.FunctionalTests.Files;

/// <summary>One <see cref="FileServer"/> per test class, with the files every spec reads.</summary>
public sealed class FileServerFixture : IAsyncLifetime
{
    public FileServer Server { get; private set; } = null!;

    /// <summary><c>hello.txt</c>: a small text file.</summary>
    public byte[] Text { get; private set; } = null!;

    /// <summary><c>big.bin</c>: 5 MiB of random bytes.</summary>
    public byte[] Binary { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await FileServer.StartAsync();
        Text = Server.WriteFile("hello.txt", "Hello from a file.\n"u8.ToArray());
        var binary = new byte[5 * 1024 * 1024];
        new Random(13).NextBytes(binary);
        Binary = Server.WriteFile("big.bin", binary);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
