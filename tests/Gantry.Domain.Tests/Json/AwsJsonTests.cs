using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Domain.Ecs;
using Gantry.Domain.Json;

namespace Gantry.Domain.Tests.Json;

public sealed class AwsJsonTests
{
    [Theory]
    [InlineData("fargate-sample.json")]
    [InlineData("ec2-bridge-sample.json")]
    public void Samples_round_trip_with_the_model_member_names(string name)
    {
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name)))!;
        var request = original.Deserialize<RegisterTaskDefinitionRequest>(AwsJson.Options)!;
        var written = JsonSerializer.SerializeToNode(request, AwsJson.Options)!;
        Assert.True(JsonNode.DeepEquals(original, written), written.ToJsonString());
    }

    [Fact]
    public void Timestamps_are_epoch_seconds_with_milliseconds()
    {
        var definition = new TaskDefinition { RegisteredAt = DateTimeOffset.FromUnixTimeMilliseconds(1732400000123) };
        var json = JsonSerializer.Serialize(definition, AwsJson.Options);
        Assert.Equal("""{"registeredAt":1732400000.123}""", json);
        Assert.Equal(definition.RegisteredAt, JsonSerializer.Deserialize<TaskDefinition>(json, AwsJson.Options)!.RegisteredAt);
    }

    [Theory]
    [InlineData("""{"containerDefinitions":[{"memory":"abc"}]}""", "$.containerDefinitions[0].memory")]
    [InlineData("""{"containerDefinitions":{"name":"a"}}""", "$.containerDefinitions")]
    [InlineData("""{"cpu":256}""", "$.cpu")]
    public void A_wrong_member_type_names_the_member(string json, string path)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<RegisterTaskDefinitionRequest>(json, AwsJson.Options));
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Member_names_are_case_sensitive_and_unknown_members_ignored()
    {
        var request = JsonSerializer.Deserialize<RegisterTaskDefinitionRequest>("""{"Family":"x","family":"y","somethingNew":1}""", AwsJson.Options)!;
        Assert.Equal("y", request.Family);
    }
}
