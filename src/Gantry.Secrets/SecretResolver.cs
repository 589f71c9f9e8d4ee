using System.Text.Json;
using Gantry.Domain.Errors;
using Gantry.Secrets.Parameters;
using Gantry.Secrets.SecretsManager;

namespace Gantry.Secrets;

/// <summary>
/// Resolves a container's <c>secrets[].valueFrom</c> as ECS does (REFERENCE-NEXT §7.1): a Secrets Manager ARN (the whole
/// SecretString) or one with <c>:json-key:version-stage:version-id</c> (empty fields keep their colons; stage and id
/// exclusive; neither means AWSCURRENT), or a Parameter Store name or ARN (decrypted). Failures throw
/// <see cref="SecretResolutionException"/> with ECS's wording.
/// </summary>
public sealed class SecretResolver(SecretVault secrets, ParameterStore parameters)
{
    private const string InvalidArn = "an invalid ARN format for the AWS Secrets Manager secret was specified. Specify a valid ARN and try again.";

    public async Task<string> ResolveAsync(string valueFrom, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(valueFrom);
        var fields = valueFrom.Split(':');
        if (fields.Length >= 6 && fields[0] == "arn" && fields[2] == "secretsmanager")
        {
            return await FromSecretsManagerAsync(valueFrom, fields, ct).ConfigureAwait(false);
        }
        if (fields.Length >= 6 && fields[0] == "arn" && fields[2] != "ssm")
        {
            throw SecretResolutionException.FromSecretsManager(valueFrom, InvalidArn);
        }
        return await FromParameterStoreAsync(valueFrom, ct).ConfigureAwait(false);
    }

    private async Task<string> FromSecretsManagerAsync(string valueFrom, string[] fields, CancellationToken ct)
    {
        // arn:partition:secretsmanager:region:account:secret:name-AbCdEf[:json-key:version-stage:version-id]
        var resource = fields[5..];
        if (resource[0] != "secret" || resource.Length is not (2 or 5) || resource[1].Length == 0)
        {
            throw SecretResolutionException.FromSecretsManager(valueFrom, InvalidArn);
        }
        var arn = string.Join(':', fields[..7]);
        var (jsonKey, stage, versionId) = resource.Length == 5 ? (Empty(resource[2]), Empty(resource[3]), Empty(resource[4])) : (null, null, null);
        if (stage is not null && versionId is not null)
        {
            throw SecretResolutionException.FromSecretsManager(arn,
                "InvalidParameterException: You can't specify both a version stage and a version id.");
        }
        SecretValue value;
        try
        {
            value = await secrets.GetValueAsync(arn, versionId, stage, ct).ConfigureAwait(false);
        }
        catch (AwsException e) when (e.Type == "ResourceNotFoundException")
        {
            throw SecretResolutionException.FromSecretsManager(arn,
                $"ResourceNotFoundException: The task can't retrieve the secret with ARN '{arn}' from AWS Secrets Manager. Check whether the secret exists in the specified Region");
        }
        catch (AwsException e)
        {
            throw SecretResolutionException.FromSecretsManager(arn, $"{e.Type}: {e.Message}");
        }
        var text = value.SecretString ?? (value.SecretBinary is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : "");
        return jsonKey is null ? text : JsonKey(arn, text, jsonKey);
    }

    private static string JsonKey(string arn, string secret, string key)
    {
        var missing = SecretResolutionException.FromSecretsManager(arn, $"retrieved secret from Secrets Manager did not contain json key {key}");
        try
        {
            using var document = JsonDocument.Parse(secret);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(key, out var found)
                ? GoValues.Render(found)
                : throw missing;
        }
        catch (JsonException)
        {
            throw missing;
        }
    }

    private async Task<string> FromParameterStoreAsync(string valueFrom, CancellationToken ct)
    {
        var (found, _) = await parameters.GetManyAsync([valueFrom], withDecryption: true, ct).ConfigureAwait(false);
        return found.Count == 1
            ? found[0].Value
            : throw SecretResolutionException.FromParameterStore(
                $"fetching secret data from SSM Parameter Store in {parameters.Names.Region}: invalid parameters: {valueFrom}");
    }

    private static string? Empty(string field) => field.Length == 0 ? null : field;
}
