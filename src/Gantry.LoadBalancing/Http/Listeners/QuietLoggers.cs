using Microsoft.Extensions.Logging;

namespace Gantry.LoadBalancing.Http.Listeners;

/// <summary>
/// The loggers handed to Kestrel, ASP.NET Core hosting and YARP's forwarder: warnings and worse only, since at
/// Information they write lines for every request ("Request starting", "Proxying to"), which a data plane cannot afford.
/// </summary>
internal static class QuietLoggers
{
    public static ILoggerFactory Over(ILoggerFactory loggers) => LoggerFactory.Create(builder =>
    {
        builder.AddProvider(new Forwarding(loggers));
        builder.SetMinimumLevel(LogLevel.Warning);
    });

    private sealed class Forwarding(ILoggerFactory loggers) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => loggers.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
