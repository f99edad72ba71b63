using System.Globalization;
using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Testing;

namespace MonitorService.Tests.Cli;

/// <summary>
/// <c>check --no-smtp</c> over a list: the bulk benchmark compares this path with mailauth's MTA-STS check (policy
/// and MX matching, no STARTTLS), so it must do everything but the probes.
/// </summary>
public class BulkCheckNoSmtpTests
{
    [Fact]
    public async Task A_bulk_run_with_no_smtp_checks_every_domain_without_one_smtp_connection()
    {
        await using var env = await CheckEnvironment.StartAsync();
        var domains = env.PublishSyntheticDomains(6, certificatePerPolicyHost: true);
        var input = Path.Combine(Path.GetTempPath(), $"no-smtp-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(input, domains);
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await CommandLineApp.RunAsync(
            [
                "check", "--input", input, "--concurrency", "3", "--format", "jsonl", "--no-smtp",
                "--resolver", env.Dns.EndPoint.ToString(), "--ca-file", env.Options().CaFile!,
                "--policy-port", env.Https.Port.ToString(CultureInfo.InvariantCulture),
                "--smtp-port", env.Smtp.Port.ToString(CultureInfo.InvariantCulture),
                "--allow-private-addresses", "--timeout", "5",
            ], TextReader.Null, stdout, stderr, settings: null, CancellationToken.None);

            Assert.Equal(0, exit);
            var reports = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
            Assert.Equal(domains, reports.Select(r => r.GetProperty("domain").GetString()));
            Assert.All(reports, r => Assert.Equal("ok", r.GetProperty("status").GetString()));
            Assert.Equal(domains.Count, env.Https.Requests.Count); // the policies were fetched
            Assert.Empty(env.Smtp.Connections);
        }
        finally
        {
            File.Delete(input);
        }
    }
}
