using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorService.Migrations
{
    /// <inheritdoc />
    public partial class TlsRptTeamAddresses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Reports stored before team addresses all came in at the shared address: they keep being shown where
            // the shared-address rule allows (the domain registered by one team). The defaults only serve existing
            // rows and SQL inserts; the service always writes both columns.
            migrationBuilder.AddColumn<List<Guid>>(
                name: "delivered_to_teams",
                table: "tlsrpt_policies",
                type: "uuid[]",
                nullable: false,
                defaultValueSql: "'{}'::uuid[]");

            migrationBuilder.AddColumn<bool>(
                name: "via_shared_address",
                table: "tlsrpt_policies",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            // Every existing team gets its own random key (the default is evaluated per row).
            migrationBuilder.AddColumn<string>(
                name: "tls_rpt_key",
                table: "teams",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValueSql: "replace(gen_random_uuid()::text, '-', '')");

            migrationBuilder.CreateIndex(
                name: "ix_teams_tls_rpt_key",
                table: "teams",
                column: "tls_rpt_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_teams_tls_rpt_key",
                table: "teams");

            migrationBuilder.DropColumn(
                name: "delivered_to_teams",
                table: "tlsrpt_policies");

            migrationBuilder.DropColumn(
                name: "via_shared_address",
                table: "tlsrpt_policies");

            migrationBuilder.DropColumn(
                name: "tls_rpt_key",
                table: "teams");
        }
    }
}
