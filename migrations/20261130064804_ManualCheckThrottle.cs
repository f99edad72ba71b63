using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorService.Migrations
{
    /// <inheritdoc />
    public partial class ManualCheckThrottle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_manual_check_at",
                table: "domains",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "last_manual_check_at",
                table: "domains");
        }
    }
}
