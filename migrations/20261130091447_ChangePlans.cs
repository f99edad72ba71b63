using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MonitorService.Migrations
{
    /// <inheritdoc />
    public partial class ChangePlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "change_plans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    domain_id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    old_mx = table.Column<List<string>>(type: "text[]", nullable: false),
                    old_patterns = table.Column<List<string>>(type: "text[]", nullable: false),
                    old_mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    old_max_age = table.Column<long>(type: "bigint", nullable: false),
                    old_txt_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    target_mx = table.Column<List<string>>(type: "text[]", nullable: false),
                    target_preferences = table.Column<List<int>>(type: "integer[]", nullable: false),
                    target_mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    target_max_age = table.Column<long>(type: "bigint", nullable: false),
                    current_txt_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    clean_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    problem = table.Column<string>(type: "text", nullable: true),
                    problem_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_change_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_change_plans_domains_domain_id",
                        column: x => x.domain_id,
                        principalTable: "domains",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "change_plan_steps",
                columns: table => new
                {
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    n = table.Column<int>(type: "integer", nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    earliest_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    done_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    policy_mx = table.Column<List<string>>(type: "text[]", nullable: false),
                    policy_mode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    policy_max_age = table.Column<long>(type: "bigint", nullable: true),
                    txt_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_change_plan_steps", x => new { x.plan_id, x.n });
                    table.ForeignKey(
                        name: "fk_change_plan_steps_change_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "change_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_change_plans_domain_id_created_at",
                table: "change_plans",
                columns: new[] { "domain_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_change_plans_one_active_per_domain",
                table: "change_plans",
                column: "domain_id",
                unique: true,
                filter: "state = 'active'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "change_plan_steps");

            migrationBuilder.DropTable(
                name: "change_plans");
        }
    }
}
