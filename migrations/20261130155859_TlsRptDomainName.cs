using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorService.Migrations
{
    /// <inheritdoc />
    public partial class TlsRptDomainName : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tlsrpt_policies_policy_domain_report_day",
                table: "tlsrpt_policies");

            migrationBuilder.AddColumn<string>(
                name: "domain_name",
                table: "tlsrpt_policies",
                type: "character varying(253)",
                maxLength: 253,
                nullable: true);

            // Reports stored before stay where the views showed them: under their policy-domain. (Finding the nearest
            // registered name for each old row would scan the domains per policy; new reports get it at intake.)
            migrationBuilder.Sql("UPDATE tlsrpt_policies SET domain_name = policy_domain");

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_policies_domain_name_report_day",
                table: "tlsrpt_policies",
                columns: new[] { "domain_name", "report_day" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_tlsrpt_policies_domain_name_report_day",
                table: "tlsrpt_policies");

            migrationBuilder.DropColumn(
                name: "domain_name",
                table: "tlsrpt_policies");

            migrationBuilder.CreateIndex(
                name: "ix_tlsrpt_policies_policy_domain_report_day",
                table: "tlsrpt_policies",
                columns: new[] { "policy_domain", "report_day" });
        }
    }
}
