using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary><c>IRequestBodyPipeFeature</c> over the synthetic request body.</summary>
internal sealed class BodyReaderFeature(PipeReader reader) : IRequestBodyPipeFeature
{
    public PipeReader Reader { get; } = reader;
}
