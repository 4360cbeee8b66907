using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ClusterSystem = Akka.Cluster.Cluster;

namespace ActorSsgi.Cluster.Membership;

/// <summary>
/// The cluster's readiness check (<c>actorssgi-cluster</c>, tag <c>ready</c>): this node is a member with status Up
/// and no member's failure detector has marked it unreachable. A node still joining, leaving, or cut off from the
/// others gets no traffic; without clustering the check is healthy (there is nothing to join).
/// </summary>
internal sealed class ClusterMemberHealthCheck(ActorSystem system) : IHealthCheck
{
    /// <summary>The check's name.</summary>
    public const string Name = "actorssgi-cluster";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!SsgiClusterMembers.IsClustered(system))
        {
            return Task.FromResult(HealthCheckResult.Healthy("not clustered"));
        }

        var cluster = ClusterSystem.Get(system);
        var self = cluster.SelfMember;
        var state = cluster.State;
        HealthCheckResult result;
        if (self.Status != MemberStatus.Up)
        {
            result = HealthCheckResult.Unhealthy($"member {self.Status.ToString().ToLowerInvariant()}");
        }
        else if (state.Unreachable.Any(m => m.Address == self.Address))
        {
            result = HealthCheckResult.Unhealthy("member up but unreachable");
        }
        else
        {
            result = HealthCheckResult.Healthy($"member up ({state.Members.Count} members, {state.Unreachable.Count} unreachable)");
        }

        return Task.FromResult(result);
    }
}
