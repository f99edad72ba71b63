namespace MonitorService.Web.SignIn;

/// <summary>Where to go after signing in: a path on this site only, so a crafted link cannot send people elsewhere.</summary>
public static class LocalReturnUrl
{
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || url[1] is not ('/' or '\\')) && !url.Any(char.IsControl);

    public static string OrHome(string? url) => IsLocal(url) ? url! : "/";
}
