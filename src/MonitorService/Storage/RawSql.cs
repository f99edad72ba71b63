using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace MonitorService.Storage;

/// <summary>Raw SQL on a context's connection, for the reads EF cannot express well (lateral joins, jsonb).</summary>
internal static class RawSql
{
    public static async Task<DbCommand> CommandAsync(MonitorDbContext db, string sql, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await connection.OpenAsync(ct);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
