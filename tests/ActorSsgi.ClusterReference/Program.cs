using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ActorSsgi.ClusterReference;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;

// One node of the reference cluster. Node 1 publishes, node 2 subscribes, node 3 is a member that only takes part
// in gossip, as the third demo node does during a chat latency run. Node 1 takes commands on stdin from the runner:
//   run RATE SECONDS   publish for that long, then print "done RATE ACHIEVED samples COUNT FILE"
//   quit               leave and exit
var node = new Option<int>("--node") { Description = "1 publishes, 2 subscribes, 3 is a member", Required = true };
var port = new Option<int>("--port") { Description = "Akka.Remote port on 127.0.0.1", Required = true };
var seedPort = new Option<int>("--seed-port") { Description = "node 1's Akka.Remote port", Required = true };
var samples = new Option<string>("--samples-dir") { Description = "where node 2 writes each run's (sent, arrived) pairs", DefaultValueFactory = _ => Path.GetTempPath() };
var extraHocon = new Option<string>("--extra-hocon") { Description = "HOCON that wins over the reference settings (an experiment's knob)", DefaultValueFactory = _ => "" };
var members = new Option<int>("--members") { Description = "how many members node 1 waits for", DefaultValueFactory = _ => 3 };
var root = new RootCommand("Bare Akka.Cluster + DistributedPubSub latency reference (see ActorSsgi.ClusterTests figures-latency)")
{
    node, port, seedPort, samples, members, extraHocon,
};
root.Validators.Add(result =>
{
    if (result.GetValue(node) is < 1 or > 3)
    {
        result.AddError("--node must be 1, 2 or 3.");
    }
});

root.SetAction(async (parse, cancellation) =>
{
    GcPauseLog.Start();
    var config = Akka.Configuration.ConfigurationFactory.ParseString(parse.GetValue(extraHocon) ?? "")
        .WithFallback(ReferenceHocon.For(parse.GetValue(port), parse.GetValue(seedPort)));
    var system = ActorSystem.Create(ReferenceHocon.SystemName, config);
    var mediator = DistributedPubSub.Get(system).Mediator;
    var cluster = Cluster.Get(system);
    switch (parse.GetValue(node))
    {
        case 1:
            await WaitForMembers(cluster, parse.GetValue(members), TimeSpan.FromSeconds(60));
            await Publisher.WaitForSubscriberAsync(system, mediator, TimeSpan.FromSeconds(60));
            Console.WriteLine("ready");
            while (Console.ReadLine() is { } line && line != "quit")
            {
                var parts = line.Split(' ');
                if (parts is ["run", var rateText, var secondsText])
                {
                    var rate = int.Parse(rateText, CultureInfo.InvariantCulture);
                    var achieved = await Publisher.RunAsync(mediator, rate, TimeSpan.FromSeconds(double.Parse(secondsText, CultureInfo.InvariantCulture)));
                    var written = await mediator.Ask<string>(new Publish(Publisher.Topic, $"end {rate}"), TimeSpan.FromSeconds(30));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {rate} {achieved:0} {written}"));
                }
                else
                {
                    Console.WriteLine($"unknown command: {line}");
                }
            }

            break;
        case 2:
            system.ActorOf(Props.Create(() => new LatencySubscriber(mediator, parse.GetValue(samples)!)), "latency-subscriber");
            await WaitUntilCancelledOrStdinCloses(cancellation);
            break;
        default:
            await WaitUntilCancelledOrStdinCloses(cancellation);
            break;
    }

    await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
    return 0;
});

return await root.Parse(args).InvokeAsync();

static async Task WaitForMembers(Cluster cluster, int count, TimeSpan timeout)
{
    var watch = Stopwatch.StartNew();
    while (cluster.State.Members.Count(m => m.Status == MemberStatus.Up) < count)
    {
        if (watch.Elapsed > timeout)
        {
            throw new TimeoutException($"Fewer than {count} members up after {timeout}.");
        }

        await Task.Delay(100);
    }
}

// Nodes 2 and 3 live until the runner closes their stdin (or kills them): no orphaned processes if it dies.
static Task WaitUntilCancelledOrStdinCloses(CancellationToken cancellation) =>
    Task.Run(() => Console.In.ReadToEnd(), cancellation);
