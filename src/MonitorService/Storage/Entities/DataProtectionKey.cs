namespace MonitorService.Storage.Entities;

/// <summary>An ASP.NET Core data-protection key (it signs sign-in cookies and anti-forgery tokens), shared by all nodes.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}
