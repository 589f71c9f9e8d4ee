using System.Text.Json;
using Gantry.Domain.Ecs;
using Gantry.Domain.Errors;
using Gantry.Domain.Json;
using Gantry.Domain.TaskDefinitions;

namespace Gantry.Domain.Tests.TaskDefinitions;

public sealed class TaskDefinitionValidatorTests
{
    private static RegisterTaskDefinitionRequest Sample(string name) =>
        JsonSerializer.Deserialize<RegisterTaskDefinitionRequest>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name)), AwsJson.Options)!;

    [Theory]
    [InlineData("fargate-sample.json")]
    [InlineData("ec2-bridge-sample.json")]
    public void Published_samples_are_valid(string name)
    {
        var valid = TaskDefinitionValidator.Validate(Sample(name));
        Assert.NotNull(valid.Family);
    }

    [Theory]
    [InlineData("1 vCPU", "2GB", "1024", "2048")]
    [InlineData("0.25 vcpu", "0.5 GB", "256", "512")]
    [InlineData("512", "1024", "512", "1024")]
    public void Task_cpu_and_memory_are_normalised(string cpu, string memory, string expectedCpu, string expectedMemory)
    {
        var request = Sample("fargate-sample.json") with { Cpu = cpu, Memory = memory };
        if (!FargateSizes.IsValid(expectedCpu, expectedMemory))
        {
            request = request with { RequiresCompatibilities = null };
        }
        var valid = TaskDefinitionValidator.Validate(request);
        Assert.Equal(expectedCpu, valid.Cpu);
        Assert.Equal(expectedMemory, valid.Memory);
    }

    [Theory]
    [MemberData(nameof(TaskDefinitionMistakes.All), MemberType = typeof(TaskDefinitionMistakes))]
    public void A_mistake_is_refused_with_the_AWS_error_type_naming_the_field(string mistake, string patch, string errorType, string field)
    {
        var request = TaskDefinitionMistakes.Patched(patch);
        var error = Assert.Throws<AwsException>(() => TaskDefinitionValidator.Validate(request));
        Assert.True(errorType == error.Type, $"{mistake}: expected {errorType}, got {error.Type}: {error.Message}");
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }
}
