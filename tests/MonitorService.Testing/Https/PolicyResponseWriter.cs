using System.Text;
using Microsoft.AspNetCore.Http;

namespace MonitorService.Testing;

/// <summary>Writes a <see cref="PolicyResponse"/>, including the hostile behaviours, to an ASP.NET Core response.</summary>
internal static class PolicyResponseWriter
{
    private static readonly byte[] TrickleText = Encoding.ASCII.GetBytes(
        PolicyResponse.PolicyText("enforce", 86400, "mx.example.com") + "\r\n");

    public static async Task WriteAsync(HttpContext context, PolicyResponse response, CancellationToken stopping)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var token = cts.Token;
        try
        {
            switch (response.Behavior)
            {
                case PolicyBehavior.Hang:
                    await Task.Delay(Timeout.Infinite, token);
                    break;
                case PolicyBehavior.Trickle:
                    await TrickleAsync(context, response, token);
                    break;
                case PolicyBehavior.Huge:
                    await HugeAsync(context, response, token);
                    break;
                case PolicyBehavior.RedirectLoop:
                    context.Response.StatusCode = response.StatusCode;
                    context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}";
                    break;
                default:
                    await NormalAsync(context, response, token);
                    break;
            }
        }
        catch (OperationCanceledException)
        {
            // Client went away or the fixture is stopping: drop the connection instead of completing a response.
            context.Abort();
        }
    }

    private static async Task NormalAsync(HttpContext context, PolicyResponse response, CancellationToken token)
    {
        context.Response.StatusCode = response.StatusCode;
        if (response.ContentType is not null)
        {
            context.Response.ContentType = response.ContentType;
        }

        if (response.Location is not null)
        {
            context.Response.Headers.Location = response.Location;
        }

        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, token);
        }
    }

    private static async Task TrickleAsync(HttpContext context, PolicyResponse response, CancellationToken token)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync(token);
        await context.Response.Body.FlushAsync(token);
        for (var i = 0; ; i++)
        {
            await context.Response.Body.WriteAsync(TrickleText.AsMemory(i % TrickleText.Length, 1), token);
            await context.Response.Body.FlushAsync(token);
            await Task.Delay(response.TrickleInterval, token);
        }
    }

    private static async Task HugeAsync(HttpContext context, PolicyResponse response, CancellationToken token)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        if (response.HugeDeclaresLength)
        {
            context.Response.ContentLength = response.HugeBodyBytes;
        }

        var head = Encoding.ASCII.GetBytes("version: STSv1\r\nmode: enforce\r\n");
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'#');
        for (var i = 1023; i < chunk.Length; i += 1024)
        {
            chunk[i] = (byte)'\n';
        }

        long remaining = response.HugeBodyBytes;
        var first = (int)Math.Min(head.Length, remaining);
        await context.Response.Body.WriteAsync(head.AsMemory(0, first), token);
        remaining -= first;
        while (remaining > 0)
        {
            var count = (int)Math.Min(chunk.Length, remaining);
            await context.Response.Body.WriteAsync(chunk.AsMemory(0, count), token);
            remaining -= count;
        }
    }
}
