using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorService.Migrations
{
    /// <inheritdoc />
    public partial class AlertChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "outbox_messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "mail");

            migrationBuilder.AddColumn<Guid>(
                name: "channel_id",
                table: "outbox_messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "payload",
                table: "outbox_messages",
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "alert_channels",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    team_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    protected_url = table.Column<string>(type: "text", nullable: false),
                    url_display = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    protected_secret = table.Column<string>(type: "text", nullable: true),
                    incident_severities = table.Column<List<string>>(type: "text[]", nullable: true),
                    drift_severities = table.Column<List<string>>(type: "text[]", nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    last_test_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_channels", x => x.id);
                    table.ForeignKey(
                        name: "fk_alert_channels_teams_team_id",
                        column: x => x.team_id,
                        principalTable: "teams",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_channel_id",
                table: "outbox_messages",
                column: "channel_id");

            migrationBuilder.CreateIndex(
                name: "ix_alert_channels_team_id_name",
                table: "alert_channels",
                columns: new[] { "team_id", "name" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_outbox_messages_alert_channels_channel_id",
                table: "outbox_messages",
                column: "channel_id",
                principalTable: "alert_channels",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_outbox_messages_alert_channels_channel_id",
                table: "outbox_messages");

            migrationBuilder.DropTable(
                name: "alert_channels");

            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_channel_id",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "channel_id",
                table: "outbox_messages");

            migrationBuilder.DropColumn(
                name: "payload",
                table: "outbox_messages");
        }
    }
}
