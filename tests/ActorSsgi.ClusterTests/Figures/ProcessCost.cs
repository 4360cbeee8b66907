using System.Globalization;

namespace ActorSsgi.ClusterTests.Figures;

/// <summary>
/// What a process cost over a window, from /proc: CPU time (utime+stime) and the time its threads spent runnable but
/// waiting for a core (the second field of each /proc/PID/task/TID/schedstat). On a 2-core box the wait is the
/// direct measure of CPU contention: a message's latency grows by however long the thread that handles it waits.
/// Summed over the threads alive at each reading, so a thread that ends within the window can make the difference
/// negative: read it as a rough figure.
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
