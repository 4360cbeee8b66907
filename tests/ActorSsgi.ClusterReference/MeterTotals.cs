using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace ActorSsgi.ClusterReference;

/// <summary>
/// In a demo node (through <see cref="StartupHook"/>): totals of ActorSsgi's own counters (the "ActorSsgi" and
/// "ActorSsgi.Cluster" meters: messages received and sent, topic deliveries, backpressure drops), written to stderr
/// as <c>meter NAME TOTAL</c> once a second when they changed, so a figures run can tell where missing messages went
/// without turning on the node's metrics export.
/// </summary>
internal static class MeterTotals
{
    private static readonly ConcurrentDictionary<string, long> s_totals = new(StringComparer.Ordinal);
    private static MeterListener? s_listener;
    private static Timer? s_timer;

    public static void Start()
    {
        s_listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith("ActorSsgi", StringComparison.Ordinal) && instrument is Counter<long>)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        s_listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            s_totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        s_listener.Start();
        var written = new Dictionary<string, long>(StringComparer.Ordinal);
        s_timer = new Timer(_ =>
        {
            foreach (var (name, total) in s_totals)
            {
                if (!written.TryGetValue(name, out var last) || last != total)
                {
                    written[name] = total;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"meter {name} {total}"));
                }
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }
}
