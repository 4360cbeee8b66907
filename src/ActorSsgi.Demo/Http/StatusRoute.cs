using System.Globalization;

namespace ActorSsgi.Demo.Http;

/// <summary><c>GET /status/{code}</c>: that status with an empty body.</summary>
internal static class StatusRoute
{
    public static ValueTask Handle(string code, ISsgiHttpResponse res)
    {
        if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 200 or > 599)
        {
            HttpRoutes.BadRequest(res, "the status must be a whole number from 200 to 599");
            return default;
        }

        res.SendStatus(status);
        res.Send();
        return default;
    }
}
