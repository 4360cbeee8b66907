namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>Waits on a condition with a deadline instead of sleeping and hoping.</summary>
public static class Eventually
{
    /// <summary>Probes until <paramref name="done"/> holds; fails with the last value when the deadline passes.</summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {value}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Probes for <paramref name="window"/> and fails as soon as <paramref name="stable"/> stops holding: the way to
    /// check that something (a second on_aborted call) does not happen after a thing we waited for did.
    /// </summary>
    public static async Task Holds<T>(Func<Task<T>> probe, Func<T, bool> stable, TimeSpan window, string what)
    {
        var end = DateTime.UtcNow + window;
        do
        {
            var value = await probe();
            if (!stable(value))
            {
                throw new Xunit.Sdk.XunitException($"Expected {what} to hold, but saw {value}.");
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < end);
    }
}
