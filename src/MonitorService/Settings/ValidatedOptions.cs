using Microsoft.Extensions.Options;

namespace MonitorService.Settings;

/// <summary>
/// The one way options are registered: bound from their configuration section, checked by the options' own rules,
/// and validated at start (a bad value stops the process with a message naming it, exit 78), never at first use.
/// </summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfigurationSection section, Func<T, IEnumerable<string>> rules)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new RuleValidator<T>(rules));
        return services.AddOptions<T>().Bind(section).ValidateOnStart();
    }

    /// <summary>For rules that compare with another setting (<typeparamref name="TOther"/>, such as another options' value).</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T, TOther>(this IServiceCollection services, IConfigurationSection section, Func<T, TOther, IEnumerable<string>> rules)
        where T : class
        where TOther : notnull
    {
        services.AddSingleton<IValidateOptions<T>>(sp => new RuleValidator<T>(o => rules(o, sp.GetRequiredService<TOther>())));
        return services.AddOptions<T>().Bind(section).ValidateOnStart();
    }

    private sealed class RuleValidator<T>(Func<T, IEnumerable<string>> rules) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            rules(options).ToList() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
