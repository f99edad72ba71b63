#!/usr/bin/env bash
# Adds an EF Core migration: migrations/add.sh NAME
# The migrations live here but compile into src/MonitorService; `dotnet ef` writes the model snapshot under
# src/MonitorService/MonitorService/Migrations (from its namespace), so it is moved back next to the migrations.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: migrations/add.sh NAME" >&2; exit 64; }
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet tool restore >/dev/null
(cd src/MonitorService && dotnet ef migrations add "$1" --output-dir ../../migrations --namespace MonitorService.Migrations)
stray=src/MonitorService/MonitorService/Migrations/MonitorDbContextModelSnapshot.cs
if [ -f "$stray" ]; then
  mv "$stray" migrations/MonitorDbContextModelSnapshot.cs
  rm -rf src/MonitorService/MonitorService
fi
