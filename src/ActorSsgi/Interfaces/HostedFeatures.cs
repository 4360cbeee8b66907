using System.Collections;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Interfaces;

/// <summary>
/// What a hosted application sees of Kestrel's features: the same collection, with two differences. The request
/// lifetime is the owning actor's (<see cref="HostedLifetime"/>: Kestrel's abort reaches the application as a
/// message to the actor), and the collection is an <see cref="IHostContextContainer{TContext}"/> of the
/// application's own context type, so ASP.NET Core reuses its <c>HttpContext</c> per connection as it does on bare
/// Kestrel (Kestrel's collection holds our context type, not the application's). One per connection or HTTP/2
/// stream, kept in <c>SsgiRequestContext</c>: nothing is allocated per request.
/// </summary>
internal abstract class HostedFeatures : IFeatureCollection
{
    private IFeatureCollection _inner = null!;
    private HostedLifetime _lifetime = null!;

    /// <summary>Kestrel's collection this one stands for.</summary>
    public IFeatureCollection Inner => _inner;

    public void Attach(IFeatureCollection inner, HostedLifetime lifetime)
    {
        _inner = inner;
        _lifetime = lifetime;
    }

    public bool IsReadOnly => _inner.IsReadOnly;

    public int Revision => _inner.Revision;

    public object? this[Type key]
    {
        get => key == typeof(IHttpRequestLifetimeFeature) ? _lifetime : _inner[key];
        set => _inner[key] = value;
    }

    // Through the indexer rather than _inner.Get<TFeature>(): a generic virtual call through an interface is resolved
    // at run time on every call (VirtualFunctionPointer), and ASP.NET Core fetches each feature once per request.
    public TFeature? Get<TFeature>() =>
        typeof(TFeature) == typeof(IHttpRequestLifetimeFeature) ? (TFeature)(object)_lifetime : (TFeature?)_inner[typeof(TFeature)];

    public void Set<TFeature>(TFeature? instance) => _inner.Set(instance);

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        foreach (var feature in _inner)
        {
            yield return feature.Key == typeof(IHttpRequestLifetimeFeature)
                ? new KeyValuePair<Type, object>(feature.Key, _lifetime)
                : feature;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The collection typed for one application's context.</summary>
internal sealed class HostedFeatures<TContext> : HostedFeatures, IHostContextContainer<TContext>
    where TContext : notnull
{
    public TContext? HostContext { get; set; }
}
