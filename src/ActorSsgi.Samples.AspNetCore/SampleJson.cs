using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorSsgi.Samples.AspNetCore;

/// <summary><c>GET /json</c>'s body.</summary>
/// <param name="Message">The greeting.</param>
public sealed record Greeting(string Message);

/// <summary><c>GET /scope</c>'s body: two resolutions of the scoped service within one request.</summary>
/// <param name="First">The id of the instance bound as a parameter.</param>
/// <param name="Second">The id of the instance resolved from the request's services.</param>
public sealed record ScopeReport(Guid First, Guid Second);

/// <summary>Source-generated JSON for the sample's types (no reflection at run time).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Greeting))]
[JsonSerializable(typeof(Todo))]
[JsonSerializable(typeof(TodoInput))]
[JsonSerializable(typeof(IReadOnlyList<Todo>))]
[JsonSerializable(typeof(ScopeReport))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
internal sealed partial class SampleJson : JsonSerializerContext;
