using System.Net;
using System.Net.Sockets;

namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>Loopback ports nobody listens on, found by binding port 0 (for Akka.Remote and nginx, which need a port up front).</summary>
public static class FreePorts
{
    public static int[] Take(int count)
    {
        // All listeners stay open until every port is chosen, so the OS cannot hand the same one out twice.
        var listeners = Enumerable.Range(0, count).Select(_ =>
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return listener;
        }).ToArray();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners)
        {
            listener.Stop();
        }

        return ports;
    }
}
