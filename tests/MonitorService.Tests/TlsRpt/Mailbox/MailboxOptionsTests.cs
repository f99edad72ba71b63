using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MonitorService.TlsRpt.Mailbox;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>TlsRpt:Imap settings: off without a host, and every mistake named at start, not at the first read.</summary>
public sealed class MailboxOptionsTests
{
    private static MailboxOptions Valid() => new() { Host = "imap.example.test", User = "reports", Password = "secret" };

    [Fact]
    public void Without_a_host_the_feature_is_off_and_nothing_else_is_required()
    {
        var options = new MailboxOptions();
        Assert.False(options.Enabled);
        Assert.Empty(options.Validate());
        Assert.Empty(Valid().Validate());
        Assert.Equal(993, Valid().EffectivePort);
    }

    [Fact]
    public void Each_mistake_is_named_with_its_setting()
    {
        Assert.Contains(Errors(o => o.Password = null), e => e.Contains("TlsRpt:Imap:User and TlsRpt:Imap:Password must be set", StringComparison.Ordinal));
        Assert.Contains(Errors(o => o.DoneFolder = "inbox"), e => e.Contains("TlsRpt:Imap:DoneFolder and TlsRpt:Imap:InvalidFolder must differ", StringComparison.Ordinal));
        Assert.Contains(Errors(o => o.IdleFor = o.PollInterval), e => e.Contains("TlsRpt:Imap:IdleFor must be", StringComparison.Ordinal));
        Assert.Empty(Errors(o => { o.Idle = false; o.IdleFor = o.PollInterval; }));
        Assert.Contains(Errors(o => o.MaxMessageBytes = 1000), e => e.Contains("TlsRpt:Imap:MaxMessageBytes", StringComparison.Ordinal));
        Assert.Contains(Errors(o => o.MaxMessagesPerPass = 0), e => e.Contains("TlsRpt:Imap:MaxMessagesPerPass", StringComparison.Ordinal));
        Assert.Contains(Errors(o => o.Port = 70000), e => e.Contains("TlsRpt:Imap:Port", StringComparison.Ordinal));
        Assert.Contains(Errors(o => o.Timeout = TimeSpan.Zero), e => e.Contains("TlsRpt:Imap:Timeout", StringComparison.Ordinal));
        Assert.Contains(Errors(o => o.CaFile = "/nonexistent/ca.pem"), e => e.Contains("TlsRpt:Imap:CaFile", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_setting_stops_the_start_with_its_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TlsRpt:Imap:Host"] = "127.0.0.1",
            ["TlsRpt:Imap:User"] = "reports",
        }).Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddTlsRptMailbox(configuration);
        // Only the options' start-up validation: the job's schedule needs a scheduler this host does not have.
        builder.Services.RemoveAll<IHostedService>();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("TlsRpt:Imap:User and TlsRpt:Imap:Password must be set", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Errors(Action<MailboxOptions> change)
    {
        var options = Valid();
        change(options);
        return options.Validate();
    }
}
