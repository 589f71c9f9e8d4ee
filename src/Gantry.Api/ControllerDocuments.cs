using System.Text.Json;
using Gantry.ControlPlane.Leadership;
using Gantry.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Gantry.Api;

/// <summary>The documents the controllers write through: the state store fenced by this replica's lease.</summary>
public sealed record ControllerDocuments(Documents Documents)
{
    public static ControllerDocuments Of(IServiceProvider services, IStateStore store, JsonSerializerOptions jsonOptions) =>
        new(new Documents(new FencedStateStore(store, services.GetRequiredService<LeaderElection>()), jsonOptions));
}
