using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Web;

/// <summary>
/// Keeps the data-protection key ring in PostgreSQL, so that every node of a cluster accepts the cookies and
/// anti-forgery tokens the others issued, and a restart does not sign everybody out.
/// </summary>
public sealed class DatabaseKeyRepository(IDbContextFactory<MonitorDbContext> dbFactory) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = dbFactory.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = dbFactory.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
