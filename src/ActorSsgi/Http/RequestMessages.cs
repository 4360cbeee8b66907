namespace ActorSsgi.Http;

// Messages a request actor takes in besides the request itself (SsgiRequestContext) and RunInActor.
// Each names the request it belongs to by generation, because the actor serves many requests over its life and
// a late event of an earlier one must not touch the current one.

/// <summary>Kestrel reported that the client went away.</summary>
internal sealed record ClientAborted(long Generation);

/// <summary>The entry (or a <c>RunAsync</c> handler) finished asynchronously.</summary>
internal sealed record HandlerCompleted(long Generation, bool IsEntry, Exception? Error);

/// <summary>A handler failed: rethrown in the actor so that its supervisor decides.</summary>
internal sealed record HandlerFailed(long Generation, Exception Error);
