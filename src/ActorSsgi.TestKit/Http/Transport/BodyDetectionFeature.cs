using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary><c>IHttpRequestBodyDetectionFeature</c>: whether the request announced a body at all.</summary>
internal sealed class BodyDetectionFeature(bool canHaveBody) : IHttpRequestBodyDetectionFeature
{
    public bool CanHaveBody { get; } = canHaveBody;
}
