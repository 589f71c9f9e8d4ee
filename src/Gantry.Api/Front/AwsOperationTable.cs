using System.Collections.Frozen;

namespace Gantry.Api.Front;

/// <summary>
/// Every service Gantry answers and its operations, built once at start-up; it knows nothing of wire formats.
/// Each service declares its name (the JSON target prefix or the awsQuery service), the SigV4 signing name its model
/// gives (<c>aws.auth#sigv4</c> <c>name</c>: a request for one of its operations must be signed for it) and its protocol.
/// </summary>
public sealed class AwsOperationTable
{
    private readonly FrozenDictionary<string, AwsOperation> _operations;
    private readonly FrozenDictionary<string, AwsService> _services;
    private readonly FrozenDictionary<string, AwsService> _queryServices;

    private AwsOperationTable(FrozenDictionary<string, AwsOperation> operations, FrozenDictionary<string, AwsService> services)
    {
        _operations = operations;
        _services = services;
        _queryServices = services.Values.Where(s => s.IsForm)
            .ToFrozenDictionary(s => s.SigningName, StringComparer.Ordinal);
    }

    /// <summary>The AWS JSON operation <paramref name="target"/> (<c>prefix.Name</c>) names.</summary>
    public bool TryGet(string target, out AwsOperation operation) =>
        _operations.TryGetValue(target, out operation!) && operation.Service.Protocol == AwsProtocol.AwsJson11;

    /// <summary>The operation <paramref name="name"/> of <paramref name="service"/>.</summary>
    public bool TryGet(AwsService service, string name, out AwsOperation operation) =>
        _operations.TryGetValue($"{service.Name}.{name}", out operation!) && operation.Service == service;

    /// <summary>The signing name of the AWS JSON service <paramref name="target"/> (<c>prefix.Operation</c>) belongs to; null for an unknown prefix.</summary>
    public string? SigningNameOf(string target)
    {
        var dot = target.IndexOf('.', StringComparison.Ordinal);
        return _services.GetValueOrDefault(dot < 0 ? target : target[..dot]) is { Protocol: AwsProtocol.AwsJson11 } service ? service.SigningName : null;
    }

    /// <summary>The form-encoded service (awsQuery or ec2) signed for as <paramref name="signingName"/>.</summary>
    public bool TryGetQueryService(string signingName, out AwsService service) => _queryServices.TryGetValue(signingName, out service!);

    /// <summary>Whether any service is form-encoded (awsQuery or ec2).</summary>
    public bool HasQueryServices => _queryServices.Count > 0;

    /// <summary>The AWS JSON targets (<c>prefix.Name</c>).</summary>
    public IEnumerable<string> Targets => Operations.Where(o => o.Service.Protocol == AwsProtocol.AwsJson11).Select(o => o.Target);

    public IEnumerable<AwsOperation> Operations => _operations.Values;

    public sealed class Builder
    {
        private readonly Dictionary<string, AwsOperation> _operations = new(StringComparer.Ordinal);
        private readonly Dictionary<string, AwsService> _services = new(StringComparer.Ordinal);

        /// <summary>Declares an AWS JSON 1.1 service: its operations are <c>servicePrefix.Name</c>, signed for <paramref name="signingName"/>.</summary>
        public Builder Service(string servicePrefix, string signingName) => Service(AwsService.Json(servicePrefix, signingName));

        /// <summary>Declares a service; its operations are then mapped under its <see cref="AwsService.Name"/>.</summary>
        public Builder Service(AwsService service)
        {
            ArgumentNullException.ThrowIfNull(service);
            if (service.IsForm && (service.Version is null || service.XmlNamespace is null))
            {
                throw new InvalidOperationException($"{service.Protocol} service '{service.Name}' needs its model's version and xmlNamespace.");
            }
            if (_services.Values.Any(s => s.IsForm && service.IsForm && s.SigningName == service.SigningName))
            {
                throw new InvalidOperationException($"Two form-encoded services are signed for '{service.SigningName}': requests are routed by it.");
            }
            _services.Add(service.Name, service);
            return this;
        }

        /// <summary>Registers operation <paramref name="name"/> of service <paramref name="servicePrefix"/> with a typed handler.</summary>
        public Builder Map<TRequest, TResponse>(string servicePrefix, string name, Func<TRequest, AwsCallContext, CancellationToken, Task<TResponse>> handler)
            where TRequest : class, new()
            where TResponse : class
        {
            var service = ServiceNamed(servicePrefix);
            _operations.Add($"{servicePrefix}.{name}", new AwsOperation(service, name, typeof(TRequest), typeof(TResponse),
                reader => reader.Read<TRequest>(),
                async (input, context, ct) => await handler((TRequest)input, context, ct).ConfigureAwait(false)));
            return this;
        }

        /// <summary>Registers an operation without output: the answer is empty (<c>{}</c>, or an XML response without a result).</summary>
        public Builder Map<TRequest>(string servicePrefix, string name, Func<TRequest, AwsCallContext, CancellationToken, Task> handler)
            where TRequest : class, new()
        {
            var service = ServiceNamed(servicePrefix);
            _operations.Add($"{servicePrefix}.{name}", new AwsOperation(service, name, typeof(TRequest), null,
                reader => reader.Read<TRequest>(),
                async (input, context, ct) =>
                {
                    await handler((TRequest)input, context, ct).ConfigureAwait(false);
                    return null;
                }));
            return this;
        }

        public AwsOperationTable Build() =>
            new(_operations.ToFrozenDictionary(StringComparer.Ordinal), _services.ToFrozenDictionary(StringComparer.Ordinal));

        private AwsService ServiceNamed(string servicePrefix) => _services.TryGetValue(servicePrefix, out var service)
            ? service
            : throw new InvalidOperationException($"Service '{servicePrefix}' has no signing name: declare it with Service(prefix, signingName) before mapping its operations.");
    }
}
