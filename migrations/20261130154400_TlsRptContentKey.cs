using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorService.Migrations
{
    /// <inheritdoc />
    public partial class TlsRptContentKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tlsrpt_reports_organization_name_report_id",
                table: "tlsrpt_reports");

            migrationBuilder.AddColumn<string>(
                name: "content_sha256",
                table: "tlsrpt_reports",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_reports_organization_name_report_id_content_sha256",
                table: "tlsrpt_reports",
                columns: new[] { "organization_name", "report_id", "content_sha256" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tlsrpt_reports_organization_name_report_id_content_sha256",
                table: "tlsrpt_reports");

            migrationBuilder.DropColumn(
                name: "content_sha256",
                table: "tlsrpt_reports");

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_reports_organization_name_report_id",
                table: "tlsrpt_reports",
                columns: new[] { "organization_name", "report_id" },
                unique: true);
        }
    }
}
