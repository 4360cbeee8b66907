using ActorSsgi.Cluster.Entities;
using ActorSsgi.Hosting;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ActorSsgi.Cluster.Hosting;

/// <summary>
/// Turns ActorSsgi nodes into an Akka.Cluster. Two calls, both no-ops for the actor system while
/// <c>ActorSsgi:Cluster:Enabled</c> is false:
/// <code>
/// builder.Services.AddActorSsgiCluster(builder.Configuration);
/// builder.Services.AddActorSsgi&lt;MyFramework&gt;(builder.Configuration, (akka, provider) =&gt; akka.WithActorSsgiCluster(provider));
/// </code>
/// </summary>
public static class ActorSsgiClusterExtensions
{
    /// <summary>
    /// Registers the cluster's options (bound from <c>ActorSsgi:Cluster</c>) and the server extension that, when
    /// clustering is on, makes topics cluster-wide and session keys addressable from any node.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddActorSsgiCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ActorSsgiClusterOptions>().Bind(configuration.GetSection(ActorSsgiClusterOptions.SectionName));
        // A second call must not register the check twice: HealthCheckService refuses duplicate names.
        var first = !services.Any(d => d.ImplementationType == typeof(ClusterServerExtension));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISsgiServerExtension, ClusterServerExtension>());
        if (first)
        {
            services.AddHealthChecks().AddCheck<Membership.ClusterMemberHealthCheck>(Membership.ClusterMemberHealthCheck.Name, tags: [ActorSsgi.Health.ActorSsgiHealthChecks.ReadyTag]);
        }

        return services;
    }

    /// <summary>
    /// Inside <c>AddActorSsgi</c>'s <c>configureAkka</c>: when <c>ActorSsgi:Cluster:Enabled</c> is true, adds remoting
    /// (<see cref="ActorSsgiClusterOptions.Hostname"/>:<see cref="ActorSsgiClusterOptions.Port"/>), clustering with the
    /// seed nodes, roles and a keep-majority split-brain resolver, and DistributedPubSub. Otherwise does nothing.
    /// </summary>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="provider">The host's services (for <see cref="ActorSsgiClusterOptions"/>).</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="InvalidOperationException"><see cref="AddActorSsgiCluster"/> was not called, or the split-brain resolver setting is unknown.</exception>
    public static AkkaConfigurationBuilder WithActorSsgiCluster(this AkkaConfigurationBuilder builder, IServiceProvider provider)
    {
        var options = Options(provider);
        if (!options.Enabled)
        {
            return builder;
        }

        builder.AddHocon(ClusterHocon.Defaults, HoconAddMode.Append);
        builder.AddHocon(ClusterHocon.FromOptions(options), HoconAddMode.Prepend);
        var seeds = options.SeedAddresses();
        return builder
            .WithRemoting(new RemoteOptions
            {
                HostName = options.Hostname,
                Port = options.Port,
                PublicHostName = options.PublicHostname,
            })
            .WithClustering(new ClusterOptions
            {
                // No seeds: this node starts a cluster of its own (joins itself).
                SeedNodes = seeds.Length > 0 ? seeds : [$"akka.tcp://{ActorSsgiClusterOptions.SystemName}@{options.PublicHostname ?? options.Hostname}:{options.Port}"],
                Roles = options.Roles,
                SplitBrainResolver = options.SplitBrainResolver.ToLowerInvariant() switch
                {
                    "keep-majority" => new KeepMajorityOption(),
                    "off" or "none" => null,
                    var other => throw new InvalidOperationException($"ActorSsgi:Cluster:SplitBrainResolver '{other}' is not keep-majority or off."),
                },
            })
            .WithDistributedPubSub(role: null!);
    }

    /// <summary>
    /// Hosts handler entities of one kind (chat rooms, games) reached by <see cref="ShardingEnvelope"/>: a shard region
    /// when clustered (each entity lives on one node and is reached from sessions on any node), one local parent
    /// actor otherwise, so handler code is the same on one node and many. The region is registered in Akka.Hosting's
    /// <see cref="ActorRegistry"/> under <typeparamref name="TKey"/>.
    /// </summary>
    /// <typeparam name="TKey">The registry key handlers look the region up by.</typeparam>
    /// <param name="builder">Akka.Hosting's builder.</param>
    /// <param name="provider">The host's services (for <see cref="ActorSsgiClusterOptions"/>).</param>
    /// <param name="typeName">The entity type name, the same on every node.</param>
    /// <param name="entityProps">Creates an entity's actor from its id.</param>
    /// <param name="entityOptions">Shards, passivation and role; defaults when <c>null</c>.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static AkkaConfigurationBuilder WithSsgiEntities<TKey>(
        this AkkaConfigurationBuilder builder,
        IServiceProvider provider,
        string typeName,
        Func<string, Props> entityProps,
        SsgiEntityOptions? entityOptions = null)
    {
        entityOptions ??= new SsgiEntityOptions();
        if (!Options(provider).Enabled)
        {
            return builder.WithActors((system, registry) =>
                registry.Register<TKey>(system.ActorOf(Props.Create(() => new LocalEntityParent(entityProps)), typeName)));
        }

        return builder.WithShardRegion<TKey>(typeName, entityProps, new SsgiEntityExtractor(entityOptions.MaxShards), new ShardOptions
        {
            Role = entityOptions.Role,
            RememberEntities = false,
            StateStoreMode = StateStoreMode.DData,
            ShouldPassivateIdleEntities = entityOptions.PassivateIdleAfter is not null,
            PassivateIdleEntityAfter = entityOptions.PassivateIdleAfter,
        });
    }

    private static ActorSsgiClusterOptions Options(IServiceProvider provider) =>
        provider.GetService<IOptions<ActorSsgiClusterOptions>>()?.Value
        ?? throw new InvalidOperationException("Call services.AddActorSsgiCluster(configuration) before using the cluster in configureAkka.");
}
