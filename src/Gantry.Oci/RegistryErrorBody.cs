using System.Text.Json;

namespace Gantry.Oci;

/// <summary>
/// Describes a registry error body: the <c>{"errors":[{"code","message"}]}</c> of the distribution spec, else the raw
/// text cut to <c>maxRawLength</c>. Shared by the push client and the agent's pull client.
/// </summary>
public static class RegistryErrorBody
{
    public static string Describe(string body, int maxRawLength = 512)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no body)";
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array)
            {
                var described = errors.EnumerateArray().Select(Describe).ToList();
                if (described.Count > 0)
                {
                    return string.Join("; ", described);
                }
            }
        }
        catch (JsonException)
        {
        }
        var trimmed = body.Trim();
        return trimmed.Length <= maxRawLength ? trimmed : trimmed[..maxRawLength] + "…";
    }

    private static string Describe(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return error.ToString();
        }
        var code = Text(error, "code");
        var message = Text(error, "message");
        return (code, message) switch
        {
            (null, null) => error.GetRawText(),
            (null, _) => message!,
            (_, null) => code,
            _ => $"{code}: {message}",
        };
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
