using Microsoft.AspNetCore.Http.Features;

namespace MonitorService.Web.TlsRpt;

/// <summary>
/// Reads a request body of at most a cap, counting the bytes as they arrive: a client that declares a small
/// Content-Length and sends more, or sends chunked without any length, is stopped at the cap, never buffered past it.
/// </summary>
public static class TlsRptBodyReader
{
    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        // Kestrel's own limit is Web:MaxRequestBodyBytes for every request; this endpoint has its own (and one more
        // byte, so that a body of exactly the cap is read and one byte over is seen by the count below).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + 1;
        var initial = (int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes + 1);
        using var buffer = new MemoryStream(initial);
        var chunk = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(chunk, ct);
                if (read == 0)
                    return buffer.ToArray();
                if (buffer.Length + read > maxBytes)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }
}
