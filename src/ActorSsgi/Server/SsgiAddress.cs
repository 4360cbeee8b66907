using System.Net;
using System.Net.Sockets;

namespace ActorSsgi.Server;

/// <summary>Formats endpoints the SSGI way: <c>ip:port</c>, IPv6 in brackets so the port is unambiguous.</summary>
internal static class SsgiAddress
{
    public static string Format(IPAddress? address, int port)
    {
        if (address is null)
        {
            return port == 0 ? "" : ":" + port;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var ip = address.ToString();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            ip = "[" + ip + "]";
        }

        return port == 0 ? ip : ip + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
