namespace NetDrop.Tests.TestSupport;

/// <summary>
/// One Aspire Dashboard for every test in <see cref="AspireDashboardCollectionDefinition"/>: started before the first test,
/// killed after the last. If it cannot start, xunit fails each test of the collection with the start-up error
/// (never a skip).
/// </summary>
public sealed class AspireDashboardFixture : IAsyncLifetime
{
    private AspireDashboard? _dashboard;

    public AspireDashboard Dashboard =>
        _dashboard ?? throw new InvalidOperationException("the Aspire Dashboard fixture has not been initialized");

    public async Task InitializeAsync() => _dashboard = await AspireDashboard.StartAsync();

    public Task DisposeAsync()
    {
        _dashboard?.Dispose();
        return Task.CompletedTask;
    }
}
