using Gantry.Domain.Tests.TaskDefinitions;

namespace Gantry.Api.Tests;

/// <summary>Every invalid task definition, sent over the wire: a 400 with the AWS error type naming the field, and the store untouched.</summary>
public sealed class InvalidTaskDefinitionTests : IClassFixture<ApiTestHost>
{
    private readonly ApiTestHost _host;

    public InvalidTaskDefinitionTests(ApiTestHost host) => _host = host;

    [Theory]
    [MemberData(nameof(TaskDefinitionMistakes.All), MemberType = typeof(TaskDefinitionMistakes))]
    public async Task Is_a_400_naming_the_field_and_changes_nothing(string mistake, string patch, string errorType, string field)
    {
        var before = _host.Store.CurrentRevision;
        var (status, body) = await _host.CallAsync("RegisterTaskDefinition", TaskDefinitionMistakes.PatchedJson(patch).ToJsonString());
        Assert.True(status == 400, $"{mistake}: HTTP {status}");
        Assert.Equal(errorType, body.GetProperty("__type").GetString());
        Assert.Contains($"'{field}'", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, _host.Store.CurrentRevision);
        Assert.Empty(await _host.Store.ListAsync("task-definition", null, null, 1, default));
    }

    [Theory]
    [MemberData(nameof(TaskDefinitionRefusals.All), MemberType = typeof(TaskDefinitionRefusals))]
    public async Task A_refusal_is_a_400_with_its_exact_message_and_changes_nothing(string refusal, string baseline, string patch, string errorType, string message)
    {
        var before = _host.Store.CurrentRevision;
        var (status, body) = await _host.CallAsync("RegisterTaskDefinition", TaskDefinitionRefusals.PatchedJson(baseline, patch).ToJsonString());
        Assert.True(status == 400, $"{refusal}: HTTP {status}");
        Assert.Equal(errorType, body.GetProperty("__type").GetString());
        Assert.Equal(message, body.GetProperty("message").GetString());
        Assert.Equal(before, _host.Store.CurrentRevision);
        Assert.Empty(await _host.Store.ListAsync("task-definition", null, null, 1, default));
    }
}
