using Microsoft.AspNetCore.Http;

namespace Gantry.LoadBalancing.Http.Conditions;

/// <summary>One compiled rule condition: whether a request satisfies it (its values OR'ed).</summary>
internal interface IRequestCondition
{
    bool Matches(HttpContext context);
}
