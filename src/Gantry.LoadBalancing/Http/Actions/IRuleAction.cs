using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Actions;

/// <summary>What a matched rule does with the request: answer it or forward it.</summary>
internal interface IRuleAction
{
    Task ExecuteAsync(HttpContext context);
}
