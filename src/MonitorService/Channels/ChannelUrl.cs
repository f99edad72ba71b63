using System.Net;
using MonitorService.Checks.Net;

namespace MonitorService.Channels;

/// <summary>
/// The rules for a URL a user typed in as an alert channel: absolute, https (http only when configured), no user name
/// or password in it, and not an address literal the address guard refuses. Host names are judged when a delivery
/// resolves them (what a name points at may change); this catches the obvious at once, with a message.
/// </summary>
public static class ChannelUrl
{
    public const int MaxLength = 2048;

    /// <returns>The problem in words, or null when <paramref name="url"/> is usable.</returns>
    public static string? Problem(string? text, AlertChannelOptions options, out Uri? url)
    {
        url = null;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
            return "The URL is required (such as https://hooks.slack.com/services/...).";
        if (trimmed.Length > MaxLength)
            return $"The URL is longer than {MaxLength} characters.";
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
            return "The URL is not an absolute URL (such as https://hooks.example.com/monitor).";
        if (parsed.Scheme != Uri.UriSchemeHttps && !(parsed.Scheme == Uri.UriSchemeHttp && options.AllowHttp))
            return options.AllowHttp
                ? "The URL must start with https:// or http://."
                : "The URL must start with https:// (alerts are not sent unencrypted; Alerts:Webhooks:AllowHttp permits http://).";
        if (parsed.UserInfo.Length > 0)
            return "The URL must not contain a user name or password.";
        if (IPAddress.TryParse(parsed.IdnHost.Trim('[', ']'), out var literal) && !new AddressGuard(options.AllowPrivateAddresses).IsAllowed(literal))
            return $"The URL points at {AddressGuard.Classify(literal).Describe()}, which alerts are not sent to (Alerts:Webhooks:AllowPrivateAddresses permits it).";
        url = parsed;
        return null;
    }

    /// <summary>
    /// What may be shown of a channel's URL: scheme, host and port. Paths and queries carry the credential of Slack and
    /// Teams URLs (and often of generic ones), so they are never shown, logged or stored in the clear.
    /// </summary>
    public static string Display(Uri url) => url.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped);
}
