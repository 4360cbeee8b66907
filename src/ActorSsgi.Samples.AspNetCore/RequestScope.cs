namespace ActorSsgi.Samples.AspNetCore;

/// <summary>A scoped service: one instance per request's DI scope.</summary>
public sealed class RequestScope
{
    /// <summary>This instance's id.</summary>
    public Guid Id { get; } = Guid.NewGuid();
}
