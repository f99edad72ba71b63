namespace MonitorService.Testing;

/// <summary>How <see cref="PolicyHttpsServer"/> answers GET /.well-known/mta-sts.txt.</summary>
public enum PolicyBehavior
{
    /// <summary>Send <see cref="PolicyResponse.StatusCode"/>, headers and body as configured.</summary>
    Normal,

    /// <summary>Accept the request and never answer (until the client gives up or the server is disposed).</summary>
    Hang,

    /// <summary>Send a valid 200 text/plain header, then one body byte per <see cref="PolicyResponse.TrickleInterval"/>, forever.</summary>
    Trickle,

    /// <summary>200 text/plain with a streamed body of <see cref="PolicyResponse.HugeBodyBytes"/> bytes (10 MB by default).</summary>
    Huge,

    /// <summary>302 with Location pointing at the very same URL.</summary>
    RedirectLoop,
}
