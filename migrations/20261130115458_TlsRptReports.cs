using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MonitorService.Migrations
{
    /// <inheritdoc />
    public partial class TlsRptReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tlsrpt_rejected",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source_detail = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    reason = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    raw_gzip = table.Column<byte[]>(type: "bytea", nullable: false),
                    truncated = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tlsrpt_rejected", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tlsrpt_reports",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    organization_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    report_id = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    contact_info = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    start_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    end_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    report_day = table.Column<DateOnly>(type: "date", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source_detail = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    raw_gzip = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tlsrpt_reports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tlsrpt_policies",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    report_id = table.Column<long>(type: "bigint", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false),
                    report_day = table.Column<DateOnly>(type: "date", nullable: false),
                    organization_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    policy_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    policy_domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    policy_strings = table.Column<List<string>>(type: "text[]", nullable: false),
                    mx_hosts = table.Column<List<string>>(type: "text[]", nullable: false),
                    successful_sessions = table.Column<long>(type: "bigint", nullable: false),
                    failed_sessions = table.Column<long>(type: "bigint", nullable: false),
                    failure_detail_sessions = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tlsrpt_policies", x => x.id);
                    table.ForeignKey(
                        name: "fk_tlsrpt_policies_tlsrpt_reports_report_id",
                        column: x => x.report_id,
                        principalTable: "tlsrpt_reports",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tlsrpt_failures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    policy_id = table.Column<long>(type: "bigint", nullable: false),
                    result_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sending_mta_ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    receiving_mx_hostname = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    receiving_mx_helo = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    receiving_ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    failed_sessions = table.Column<long>(type: "bigint", nullable: false),
                    additional_information = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    failure_reason_code = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tlsrpt_failures", x => x.id);
                    table.ForeignKey(
                        name: "fk_tlsrpt_failures_tlsrpt_policies_policy_id",
                        column: x => x.policy_id,
                        principalTable: "tlsrpt_policies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_failures_policy_id",
                table: "tlsrpt_failures",
                column: "policy_id");

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_policies_policy_domain_report_day",
                table: "tlsrpt_policies",
                columns: new[] { "policy_domain", "report_day" });

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_policies_report_id",
                table: "tlsrpt_policies",
                column: "report_id");

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_rejected_received_at",
                table: "tlsrpt_rejected",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_rejected_sha256",
                table: "tlsrpt_rejected",
                column: "sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_reports_organization_name_report_id",
                table: "tlsrpt_reports",
                columns: new[] { "organization_name", "report_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_reports_received_at",
                table: "tlsrpt_reports",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tlsrpt_failures");

            migrationBuilder.DropTable(
                name: "tlsrpt_rejected");

            migrationBuilder.DropTable(
                name: "tlsrpt_policies");

            migrationBuilder.DropTable(
                name: "tlsrpt_reports");
        }
    }
}
