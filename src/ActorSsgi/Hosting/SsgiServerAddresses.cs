namespace ActorSsgi.Hosting;

/// <summary>The addresses the server is bound to, known once it has started (useful with port 0).</summary>
public sealed class SsgiServerAddresses
{
    private readonly TaskCompletionSource<IReadOnlyList<string>> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The bound addresses, such as <c>http://127.0.0.1:8080</c>; empty before the server started.</summary>
    public IReadOnlyList<string> Addresses => _bound.Task.IsCompletedSuccessfully ? _bound.Task.Result : [];

    /// <summary>Completes with the addresses when the server has started.</summary>
    public Task<IReadOnlyList<string>> Bound => _bound.Task;

    internal void Set(IReadOnlyList<string> addresses) => _bound.TrySetResult(addresses);
}
