namespace MonitorService.Cli.Bulk;

/// <summary>Prints a bulk run as results arrive (in input order), then whatever closes the output.</summary>
public interface IBulkReportWriter
{
    Task WriteAsync(BulkResult result);

    Task FinishAsync();
}
