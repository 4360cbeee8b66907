namespace ActorSsgi.FunctionalTests.Faults;

/// <summary>
/// The fault suite (issue 16 item 3): each test loads the machine on purpose (thousands of requests, hundreds of
/// sockets), so they run one at a time, apart from the parallel collections, and none skews another's bounds.
/// Every test carries <c>[Trait("Category", "Faults")]</c>: <c>dotnet test --filter Category=Faults</c> runs them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "faults, serial";
}
