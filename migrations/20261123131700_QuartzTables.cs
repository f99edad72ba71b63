using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorService.Migrations
{
    /// <summary>Quartz.NET's job store tables (clustered scheduling), from the schema of the Quartz version we pin.</summary>
    public partial class QuartzTables : Migration
    {
        public const string ScriptResource = "MonitorService.Migrations.Sql.quartz-4.7.3-postgres.sql";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            using var stream = typeof(QuartzTables).Assembly.GetManifestResourceStream(ScriptResource)
                ?? throw new InvalidOperationException($"Missing embedded resource {ScriptResource}.");
            using var reader = new StreamReader(stream);
            migrationBuilder.Sql(reader.ReadToEnd());
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "fired_triggers", "paused_trigger_grps", "paused_job_grps", "scheduler_state", "locks", "simple_triggers", "simprop_triggers", "cron_triggers", "blob_triggers", "calendars", "execution_history", "misfire_history", "job_status", "triggers", "job_details" })
                migrationBuilder.Sql($"DROP TABLE IF EXISTS qrtz_{table} CASCADE;");
        }
    }
}
