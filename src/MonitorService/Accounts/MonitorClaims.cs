namespace MonitorService.Accounts;

/// <summary>Claim types and authentication schemes of the service.</summary>
public static class MonitorClaims
{
    /// <summary>On API-token principals: the one team the token belongs to.</summary>
    public const string TeamId = "monitor:team";
    public const string TokenId = "monitor:token";

    /// <summary>The JSON API's scheme: <c>Authorization: Bearer mts_...</c>.</summary>
    public const string ApiTokenScheme = "ApiToken";
}
