// The PostgreSQL test infrastructure (unix file modes, runuser, local binaries) is for Linux/macOS.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
