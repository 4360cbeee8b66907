using System.Globalization;

namespace ActorSsgi.ClusterTests.Figures;

/// <summary>
/// What a process cost over a window, from /proc: CPU time (utime+stime) and the time its threads spent runnable but
/// waiting for a core (the second field of each /proc/PID/task/TID/schedstat). On a 2-core box the wait is the
/// direct measure of CPU contention: a message's latency grows by however long the thread that handles it waits.
/// </summary>
public readonly record struct ProcessCost(double CpuMs, double RunQueueWaitMs)
{
    // USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerMs = 0.1;

    public static ProcessCost Read(int pid)
    {
        try
        {
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cpuMs = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerMs;
            long waitNs = 0;
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    waitNs += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended between listing and reading.
                }
            }

            return new ProcessCost(cpuMs, waitNs / 1e6);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    public static ProcessCost operator -(ProcessCost after, ProcessCost before) =>
        new(after.CpuMs - before.CpuMs, after.RunQueueWaitMs - before.RunQueueWaitMs);
}

/// <summary>The whole machine's CPU time, busy and total, from /proc/stat: what the other tenants took meanwhile.</summary>
public readonly record struct MachineCpu(double BusyMs, double TotalMs)
{
    public static MachineCpu Read()
    {
        // cpu  user nice system idle iowait irq softirq steal ...  (USER_HZ ticks, all cores)
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        return new MachineCpu((fields.Sum() - idle) * 10.0, fields.Sum() * 10.0);
    }

    public static MachineCpu operator -(MachineCpu after, MachineCpu before) =>
        new(after.BusyMs - before.BusyMs, after.TotalMs - before.TotalMs);
}
