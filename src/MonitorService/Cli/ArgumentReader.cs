namespace MonitorService.Cli;

/// <summary>
/// Walks a verb's arguments: <c>--name value</c>, <c>--name=value</c>, flags and positionals. Small on purpose:
/// each verb says what it accepts, and anything else is a <see cref="UsageException"/> naming the culprit.
/// </summary>
public sealed class ArgumentReader(IReadOnlyList<string> args)
{
    private int _index;

    public bool TryNext(out string name, out string? inlineValue)
    {
        inlineValue = null;
        if (_index >= args.Count)
        {
            name = "";
            return false;
        }
        name = args[_index++];
        if (name.StartsWith("--", StringComparison.Ordinal) && name.IndexOf('=', StringComparison.Ordinal) is var eq and > 2)
        {
            inlineValue = name[(eq + 1)..];
            name = name[..eq];
        }
        return true;
    }

    public string Value(string option, string? inlineValue)
    {
        if (inlineValue is not null)
            return inlineValue;
        if (_index >= args.Count || (args[_index].StartsWith("--", StringComparison.Ordinal) && args[_index].Length > 2))
            throw new UsageException($"{option} needs a value.");
        return args[_index++];
    }

    public int IntValue(string option, string? inlineValue, int min, int max)
    {
        var text = Value(option, inlineValue);
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"{option} must be a whole number from {min} to {max}, not '{text}'.");
        return value;
    }

    public static void NoValue(string option, string? inlineValue)
    {
        if (inlineValue is not null)
            throw new UsageException($"{option} takes no value.");
    }
}
