using Microsoft.Extensions.Options;
using Quartz;

namespace MonitorService.TlsRpt.Mailbox;

/// <summary>
/// Reads the TLS-RPT mailbox every TlsRpt:Imap:PollInterval. One durable job in the clustered scheduler, never two runs
/// at once anywhere in the cluster: two readers would hand the same message to the intake twice and race to move it.
/// A run ends within TlsRpt:Imap:IdleFor (plus one pass), or at once when the node stops.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReadMailboxJob(
    MailboxReader reader, ITlsRptIntake intake, MailboxConnector connector, MailboxMetrics metrics, IOptions<MailboxOptions> options,
    IHostApplicationLifetime lifetime, ILogger<ReadMailboxJob> logger) : IJob
{
    public static readonly JobKey Key = new("read-mailbox", "tlsrpt");
    public static readonly TriggerKey TriggerKey = new("read-mailbox", "tlsrpt");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogWarning("The TLS-RPT mailbox job ran on a node without TlsRpt:Imap:Host; the mailbox was not read");
            return;
        }
        // The node's shutdown ends an IDLE wait at once instead of holding the scheduler's stop for minutes.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        logger.LogDebug("Reading the TLS-RPT mailbox {Destination}", connector.Destination);
        try
        {
            await reader.ReadAsync(intake, stopping.Token);
            metrics.Pass("ok");
        }
        catch (MailboxUnavailableException ex) when (ex.Kind != MailboxFailureKind.Unreachable)
        {
            metrics.Pass(ex.Kind == MailboxFailureKind.LoginRefused ? "login_refused" : "folder_missing");
            logger.LogError("TLS-RPT mailbox not read: {Reason} Retried at the next pass", ex.Message);
        }
        catch (MailboxUnavailableException ex)
        {
            metrics.Pass("unreachable");
            logger.LogWarning("TLS-RPT mailbox not read: {Reason}. Retried at the next pass", ex.Message);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            // Not rethrown: a message not yet moved stays in the folder and is read again by the next pass.
            metrics.Pass("failed");
            logger.LogError(ex, "Reading the TLS-RPT mailbox {Destination} failed: {Reason}. Retried at the next pass", connector.Destination, ex.Message);
        }
        catch (OperationCanceledException)
        {
            logger.LogDebug("Reading the TLS-RPT mailbox stopped with the node");
        }
        finally
        {
            logger.LogDebug("Done reading the TLS-RPT mailbox {Destination}", connector.Destination);
        }
    }
}
