namespace ActorSsgi.WebSockets;

// on_receive and on_close as registered, typed so they run without closures or reflection. Each returns the
// handler's task so that the session can wait for it before delivering the next event.

internal interface IReceiveHandler
{
    ValueTask Invoke(ISsgiWebSocket socket, SsgiMessage message);
}

internal sealed class ReceiveHandler(Action<ISsgiWebSocket, SsgiMessage> handler) : IReceiveHandler
{
    public ValueTask Invoke(ISsgiWebSocket socket, SsgiMessage message)
    {
        handler(socket, message);
        return default;
    }
}

internal sealed class ReceiveHandler<TState>(Action<ISsgiWebSocket, SsgiMessage, TState> handler, TState state) : IReceiveHandler
{
    public ValueTask Invoke(ISsgiWebSocket socket, SsgiMessage message)
    {
        handler(socket, message, state);
        return default;
    }
}

internal sealed class AsyncReceiveHandler(Func<ISsgiWebSocket, SsgiMessage, ValueTask> handler) : IReceiveHandler
{
    public ValueTask Invoke(ISsgiWebSocket socket, SsgiMessage message) => handler(socket, message);
}

internal interface ICloseHandler
{
    ValueTask Invoke(ISsgiWebSocket socket, int code, string? reason);
}

internal sealed class CloseHandler(Action<ISsgiWebSocket, int, string?> handler) : ICloseHandler
{
    public ValueTask Invoke(ISsgiWebSocket socket, int code, string? reason)
    {
        handler(socket, code, reason);
        return default;
    }
}

internal sealed class CloseHandler<TState>(Action<ISsgiWebSocket, int, string?, TState> handler, TState state) : ICloseHandler
{
    public ValueTask Invoke(ISsgiWebSocket socket, int code, string? reason)
    {
        handler(socket, code, reason, state);
        return default;
    }
}

internal sealed class AsyncCloseHandler(Func<ISsgiWebSocket, int, string?, ValueTask> handler) : ICloseHandler
{
    public ValueTask Invoke(ISsgiWebSocket socket, int code, string? reason) => handler(socket, code, reason);
}
