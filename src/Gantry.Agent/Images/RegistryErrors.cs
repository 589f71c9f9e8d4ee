using System.Text.Json;

namespace Gantry.Agent.Images;

/// <summary>Describes a registry error body: the <c>{"errors":[{"code","message"}]}</c> of the distribution spec, else the raw text.</summary>
internal static class RegistryErrors
{
    private const int MaxRawLength = 256;

    public static string Describe(string body)
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
        return trimmed.Length <= MaxRawLength ? trimmed : trimmed[..MaxRawLength] + "…";
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
