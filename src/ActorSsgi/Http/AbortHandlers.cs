namespace ActorSsgi.Http;

/// <summary>A registered on_aborted callback, typed so no closure or reflection is needed to call it.</summary>
internal interface IAbortHandler
{
    void Invoke(SsgiHttpResponse response, HttpExchange exchange);
}

internal sealed class AbortHandler(Action<ISsgiHttpResponse> handler) : IAbortHandler
{
    public void Invoke(SsgiHttpResponse response, HttpExchange exchange) => handler(response);
}

internal sealed class AbortHandler<TState>(Action<ISsgiHttpResponse, TState> handler, TState state) : IAbortHandler
{
    public void Invoke(SsgiHttpResponse response, HttpExchange exchange) => handler(response, state);
}

internal sealed class AsyncAbortHandler(Func<ISsgiHttpResponse, ValueTask> handler) : IAbortHandler
{
    public void Invoke(SsgiHttpResponse response, HttpExchange exchange) => exchange.ObserveAbortHandler(handler(response));
}
