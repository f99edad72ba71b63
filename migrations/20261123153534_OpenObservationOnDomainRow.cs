using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorService.Migrations
{
    /// <inheritdoc />
    public partial class OpenObservationOnDomainRow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_observations_domain_id_last_seen_at",
                table: "observations");

            migrationBuilder.DropIndex(
                name: "ix_domains_last_checked_at",
                table: "domains");

            migrationBuilder.AlterTable(
                name: "domains")
                .Annotation("Npgsql:StorageParameter:fillfactor", 80);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "last_seen_at",
                table: "observations",
                type: "timestamp with time zone",
                nullable: true,
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone");

            migrationBuilder.AlterColumn<int>(
                name: "check_count",
                table: "observations",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<int>(
                name: "current_observation_checks",
                table: "domains",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ix_observations_domain_id_id",
                table: "observations",
                columns: new[] { "domain_id", "id" });

            // Each domain's current observation becomes the open one: its end and count move to the domain row.
            migrationBuilder.Sql("""
                UPDATE domains d SET current_observation_checks = o.check_count,
                                     last_checked_at = greatest(d.last_checked_at, o.last_seen_at)
                FROM observations o WHERE o.id = d.current_observation_id;
                UPDATE observations o SET last_seen_at = NULL, check_count = NULL
                FROM domains d WHERE o.id = d.current_observation_id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE observations o SET last_seen_at = coalesce(d.last_checked_at, o.first_seen_at),
                                          check_count = greatest(d.current_observation_checks, 1)
                FROM domains d WHERE o.id = d.current_observation_id;
                """);

            migrationBuilder.DropIndex(
                name: "ix_observations_domain_id_id",
                table: "observations");

            migrationBuilder.DropColumn(
                name: "current_observation_checks",
                table: "domains");

            migrationBuilder.AlterTable(
                name: "domains")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 80);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "last_seen_at",
                table: "observations",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)),
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone",
                oldNullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "check_count",
                table: "observations",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_observations_domain_id_last_seen_at",
                table: "observations",
                columns: new[] { "domain_id", "last_seen_at" });

            migrationBuilder.CreateIndex(
                name: "ix_domains_last_checked_at",
                table: "domains",
                column: "last_checked_at");
        }
    }
}
