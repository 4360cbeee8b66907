using Microsoft.AspNetCore.Mvc;

namespace ActorSsgi.Samples.AspNetCore;

/// <summary>An MVC controller: <c>GET /api/whoami</c> reports what <see cref="IHttpContextAccessor"/> sees.</summary>
[ApiController]
[Route("api/[controller]")]
public sealed class WhoAmIController(IHttpContextAccessor accessor) : ControllerBase
{
    /// <summary>The request as the accessor sees it, compared with the controller's own context.</summary>
    /// <returns>Path, user agent and whether the accessor's context is this request's.</returns>
    [HttpGet]
    public IActionResult Get() => Ok(new Dictionary<string, object?>
    {
        ["path"] = accessor.HttpContext?.Request.Path.Value,
        ["userAgent"] = accessor.HttpContext?.Request.Headers.UserAgent.ToString(),
        ["sameContext"] = ReferenceEquals(accessor.HttpContext, HttpContext),
    });
}
