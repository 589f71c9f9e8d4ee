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
    [InlineData("1 vcpu", "2 GB", "1024", "2048")]
    [InlineData("1vCPU", "3GB", "1024", "3072")]
    [InlineData("2 VCPU", "4 gb", "2048", "4096")]
    [InlineData("0.5 vCPU", "1GB", "512", "1024")]
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

    [Theory]
    [MemberData(nameof(TaskDefinitionRefusals.All), MemberType = typeof(TaskDefinitionRefusals))]
    public void A_refusal_has_the_AWS_error_type_and_exact_message(string refusal, string baseline, string patch, string errorType, string message)
    {
        var request = TaskDefinitionRefusals.Patched(baseline, patch);
        var error = Assert.Throws<AwsException>(() => TaskDefinitionValidator.Validate(request));
        Assert.True(errorType == error.Type, $"{refusal}: expected {errorType}, got {error.Type}: {error.Message}");
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"executionRoleArn":"arn:aws:iam::123456789012:role/ecsTaskExecutionRole","taskRoleArn":"arn:aws:iam::123456789012:role/app","containerDefinitions[0]":{"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/f","awslogs-region":"us-east-1","awslogs-stream-prefix":"f"}}}}""")]
    [InlineData("""{"pidMode":null,"containerDefinitions[0]":{"portMappings":[{"containerPort":80}],"stopTimeout":120,"startTimeout":2}}""")]
    [InlineData("""{"cpu":"16 vCPU","memory":"120GB","ephemeralStorage":{"sizeInGiB":200}}""")]
    [InlineData("""{"cpu":"8192","memory":"16384","ephemeralStorage":{"sizeInGiB":21}}""")]
    [InlineData("""{"volumes":[{"name":"scratch"}],"containerDefinitions[0]":{"mountPoints":[{"sourceVolume":"scratch","containerPath":"/scratch"}]}}""")]
    public void Fargate_definitions_within_the_rules_are_valid(string patch)
    {
        var valid = TaskDefinitionValidator.Validate(TaskDefinitionRefusals.Patched("fargate", patch));
        Assert.Equal("sample-fargate", valid.Family);
    }

    [Fact]
    public void A_task_scoped_local_docker_volume_is_valid_on_EC2()
    {
        var request = TaskDefinitionRefusals.Patched("ec2", """{"volumes":[{"name":"data","dockerVolumeConfiguration":{"scope":"task","driver":"local"}}]}""");
        Assert.NotNull(TaskDefinitionValidator.Validate(request));
    }
}
