namespace NetDrop.Tests.Deploy;

/// <summary>
/// The packaging tests: one build of the release artifacts shared by them (<see cref="ReleaseArtifacts"/>), run
/// after every parallel test of this assembly and alone. The build may publish the Native AOT binary and compresses
/// 12 MB twice: minutes of CPU that would otherwise land on timing-sensitive tests (tiered JIT warm-up in the
/// allocation guard) running beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReleasePackagingCollectionDefinition : ICollectionFixture<ReleaseArtifacts>
{
    public const string Name = "Release packaging";
}
