using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gantry.Secrets;

/// <summary>A JSON value rendered as Go's <c>fmt</c> <c>%v</c> renders what <c>encoding/json</c> decoded (the ECS agent injects a
/// secret's JSON key that way): strings as they are, numbers as float64 (<c>1e+06</c>), <c>&lt;nil&gt;</c>, <c>[a b]</c>, <c>map[k:v]</c>.</summary>
public static class GoValues
{
    public static string Render(JsonElement value)
    {
        var text = new StringBuilder();
        Append(text, value);
        return text.ToString();
    }

    private static void Append(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(value.GetString());
                break;
            case JsonValueKind.Number:
                text.Append(Number(value.GetDouble()));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                text.Append(value.ValueKind == JsonValueKind.True ? "true" : "false");
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    text.Append(first ? "" : " ");
                    Append(text, item);
                    first = false;
                }
                text.Append(']');
                break;
            case JsonValueKind.Object:
                text.Append("map[");
                var separator = "";
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    text.Append(separator).Append(property.Name).Append(':');
                    Append(text, property.Value);
                    separator = " ";
                }
                text.Append(']');
                break;
            default:
                text.Append("<nil>");
                break;
        }
    }

    /// <summary>Go's <c>%v</c> of a float64: the shortest digits, in exponent form when the decimal exponent is below -4 or at least 6 (<c>%g</c>'s rule for the shortest precision).</summary>
    public static string Number(double number)
    {
        if (number == 0)
        {
            return "0";
        }
        var shortest = Math.Abs(number).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = shortest.IndexOf('E', StringComparison.Ordinal);
        var exponent = exponentAt < 0 ? 0 : int.Parse(shortest[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = exponentAt < 0 ? shortest : shortest[..exponentAt];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = dot < 0 ? mantissa.Length : dot;
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var point = integerDigits + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        point -= leading;
        var sign = number < 0 ? "-" : "";
        var x = point - 1;
        if (x < -4 || x >= 6)
        {
            return Exponent(sign, digits, x);
        }
        if (point <= 0)
        {
            return sign + "0." + new string('0', -point) + digits;
        }
        return digits.Length <= point ? sign + digits + new string('0', point - digits.Length) : sign + digits[..point] + "." + digits[point..];
    }

    private static string Exponent(string sign, string digits, int x) =>
        sign + digits[0] + (digits.Length > 1 ? "." + digits[1..] : "") + "e" + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
}
