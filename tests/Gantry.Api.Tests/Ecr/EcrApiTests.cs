using System.Net;
using System.Text.Json;
using Gantry.Api.Tests.Distribution;

namespace Gantry.Api.Tests.Ecr;

/// <summary>The ECR JSON API over the same catalog as /v2/: repositories, images, layers, policies.</summary>
public sealed class EcrApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>, IDisposable
{
    private const string Ecr = "AmazonEC2ContainerRegistry_V20150921";
    private readonly RegistryTestClient _client = new(host);

    private Task<(int Status, JsonElement Body)> CallAsync(string operation, string json) => host.CallAsync(operation, json, Ecr);

    [Fact]
    public async Task CreateRepository_returns_the_repository_in_AWS_shape()
    {
        var name = RegistryTestClient.UniqueName("team/app");
        var (status, body) = await CallAsync("CreateRepository",
            $$"""{"repositoryName":"{{name}}","imageTagMutability":"IMMUTABLE","imageScanningConfiguration":{"scanOnPush":true},"tags":[{"Key":"team","Value":"a"}]}""");
        Assert.Equal(200, status);
        var repo = body.GetProperty("repository");
        Assert.Equal($"arn:aws:ecr:us-east-1:000000000000:repository/{name}", repo.GetProperty("repositoryArn").GetString());
        Assert.Equal($"{host.Endpoint.Authority}/{name}", repo.GetProperty("repositoryUri").GetString());
        Assert.Equal("IMMUTABLE", repo.GetProperty("imageTagMutability").GetString());
        Assert.True(repo.GetProperty("imageScanningConfiguration").GetProperty("scanOnPush").GetBoolean());
        Assert.Equal("AES256", repo.GetProperty("encryptionConfiguration").GetProperty("encryptionType").GetString());
        var (_, tags) = await CallAsync("ListTagsForResource", $$"""{"resourceArn":"{{repo.GetProperty("repositoryArn").GetString()}}"}""");
        Assert.Equal("a", tags.GetProperty("tags")[0].GetProperty("Value").GetString());
    }

    [Theory]
    [InlineData("A")]
    [InlineData("UPPER")]
    [InlineData("-leading")]
    [InlineData("double//slash")]
    public async Task Invalid_repository_names_are_InvalidParameterException(string name)
    {
        var (status, body) = await CallAsync("CreateRepository", $$"""{"repositoryName":"{{name}}"}""");
        Assert.Equal(400, status);
        Assert.Equal("InvalidParameterException", body.GetProperty("__type").GetString());
        Assert.Contains("repositoryName", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var (_, described) = await CallAsync("DescribeRepositories", $$"""{"repositoryNames":["{{name.ToLowerInvariant().Trim('-')}}"]}""");
        Assert.Equal("RepositoryNotFoundException", described.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Creating_a_repository_twice_is_RepositoryAlreadyExistsException()
    {
        var name = await _client.CreateRepositoryAsync();
        var (status, body) = await CallAsync("CreateRepository", $$"""{"repositoryName":"{{name}}"}""");
        Assert.Equal(400, status);
        Assert.Equal("RepositoryAlreadyExistsException", body.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task DeleteRepository_refuses_a_repository_with_images_unless_forced()
    {
        var name = await _client.CreateRepositoryAsync();
        var (json, _) = await _client.ImageAsync(name);
        (await _client.PushManifestAsync(name, "v1", json)).Dispose();
        var (status, body) = await CallAsync("DeleteRepository", $$"""{"repositoryName":"{{name}}"}""");
        Assert.Equal(400, status);
        Assert.Equal("RepositoryNotEmptyException", body.GetProperty("__type").GetString());
        var (forced, _) = await CallAsync("DeleteRepository", $$"""{"repositoryName":"{{name}}","force":true}""");
        Assert.Equal(200, forced);
        using var gone = await _client.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await RegistryTestClient.ErrorCodeAsync(gone));
    }

    [Fact]
    public async Task Images_pushed_over_v2_are_listed_described_and_fetched()
    {
        var name = await _client.CreateRepositoryAsync();
        var (json, digest) = await _client.ImageAsync(name, layerBytes: 2048);
        (await _client.PushManifestAsync(name, "v1", json)).Dispose();
        (await _client.PushManifestAsync(name, "stable", json)).Dispose();
        var (untaggedJson, untagged) = await _client.ImageAsync(name);
        (await _client.PushManifestAsync(name, untagged, untaggedJson)).Dispose();

        var (_, listed) = await CallAsync("ListImages", $$$"""{"repositoryName":"{{{name}}}","filter":{"tagStatus":"TAGGED"}}""");
        Assert.Equal(["stable", "v1"], listed.GetProperty("imageIds").EnumerateArray().Select(i => i.GetProperty("imageTag").GetString()).Order());
        var (_, described) = await CallAsync("DescribeImages", $$"""{"repositoryName":"{{name}}","imageIds":[{"imageTag":"v1"}]}""");
        var detail = described.GetProperty("imageDetails")[0];
        Assert.Equal(digest, detail.GetProperty("imageDigest").GetString());
        Assert.True(detail.GetProperty("imageSizeInBytes").GetInt64() > 2048);
        Assert.Equal("application/vnd.oci.image.config.v1+json", detail.GetProperty("artifactMediaType").GetString());
        var (_, fetched) = await CallAsync("BatchGetImage", $$"""{"repositoryName":"{{name}}","imageIds":[{"imageTag":"v1"},{"imageTag":"missing"}]}""");
        Assert.Equal(json, fetched.GetProperty("images")[0].GetProperty("imageManifest").GetString());
        Assert.Equal("ImageNotFound", fetched.GetProperty("failures")[0].GetProperty("failureCode").GetString());
        var (_, untaggedOnly) = await CallAsync("DescribeImages", $$$"""{"repositoryName":"{{{name}}}","filter":{"tagStatus":"UNTAGGED"}}""");
        Assert.Equal(untagged, untaggedOnly.GetProperty("imageDetails").EnumerateArray().Single().GetProperty("imageDigest").GetString());
    }

    [Fact]
    public async Task PutImage_tags_an_existing_manifest_and_refuses_missing_layers()
    {
        var name = await _client.CreateRepositoryAsync();
        var (json, digest) = await _client.ImageAsync(name);
        var request = JsonSerializer.Serialize(new { repositoryName = name, imageManifest = json, imageTag = "v1" });
        var (status, body) = await CallAsync("PutImage", request);
        Assert.Equal(200, status);
        Assert.Equal(digest, body.GetProperty("image").GetProperty("imageId").GetProperty("imageDigest").GetString());
        var (again, error) = await CallAsync("PutImage", request);
        Assert.Equal(400, again);
        Assert.Equal("ImageAlreadyExistsException", error.GetProperty("__type").GetString());

        var other = await _client.CreateRepositoryAsync();
        var (_, missing) = await CallAsync("PutImage", JsonSerializer.Serialize(new { repositoryName = other, imageManifest = json, imageTag = "v1" }));
        Assert.Equal("LayersNotFoundException", missing.GetProperty("__type").GetString());
        var (_, none) = await CallAsync("ListImages", $$"""{"repositoryName":"{{other}}"}""");
        Assert.Empty(none.GetProperty("imageIds").EnumerateArray());
    }

    [Fact]
    public async Task Immutable_tags_refuse_an_overwrite_with_ImageTagAlreadyExistsException()
    {
        var name = await _client.CreateRepositoryAsync();
        var (first, _) = await _client.ImageAsync(name);
        var (second, _) = await _client.ImageAsync(name);
        (await _client.PushManifestAsync(name, "v1", first)).Dispose();
        var (status, _) = await CallAsync("PutImageTagMutability", $$"""{"repositoryName":"{{name}}","imageTagMutability":"IMMUTABLE"}""");
        Assert.Equal(200, status);
        var (_, error) = await CallAsync("PutImage", JsonSerializer.Serialize(new { repositoryName = name, imageManifest = second, imageTag = "v1" }));
        Assert.Equal("ImageTagAlreadyExistsException", error.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task BatchDeleteImage_by_last_tag_deletes_the_image_and_reports_failures()
    {
        var name = await _client.CreateRepositoryAsync();
        var (json, digest) = await _client.ImageAsync(name);
        (await _client.PushManifestAsync(name, "v1", json)).Dispose();
        (await _client.PushManifestAsync(name, "v2", json)).Dispose();
        var (_, first) = await CallAsync("BatchDeleteImage", $$"""{"repositoryName":"{{name}}","imageIds":[{"imageTag":"v1"},{"imageTag":"nope"}]}""");
        Assert.Equal("v1", first.GetProperty("imageIds")[0].GetProperty("imageTag").GetString());
        Assert.Equal("ImageNotFound", first.GetProperty("failures")[0].GetProperty("failureCode").GetString());
        using (var stillThere = await _client.SendAsync(HttpMethod.Head, $"/v2/{name}/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        }
        await CallAsync("BatchDeleteImage", $$"""{"repositoryName":"{{name}}","imageIds":[{"imageTag":"v2"}]}""");
        using var gone = await _client.SendAsync(HttpMethod.Head, $"/v2/{name}/manifests/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Layer_upload_through_the_JSON_API_is_visible_over_v2()
    {
        var name = await _client.CreateRepositoryAsync();
        var content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(3000);
        var digest = RegistryTestClient.DigestOf(content);
        var (_, initiated) = await CallAsync("InitiateLayerUpload", $$"""{"repositoryName":"{{name}}"}""");
        var id = initiated.GetProperty("uploadId").GetString();
        Assert.Equal(20_971_520, initiated.GetProperty("partSize").GetInt64());
        var (_, part) = await CallAsync("UploadLayerPart", JsonSerializer.Serialize(new { repositoryName = name, uploadId = id, partFirstByte = 0, partLastByte = 1999, layerPartBlob = content[..2000] }));
        Assert.Equal(1999, part.GetProperty("lastByteReceived").GetInt64());
        var (_, skipped) = await CallAsync("UploadLayerPart", JsonSerializer.Serialize(new { repositoryName = name, uploadId = id, partFirstByte = 2500, partLastByte = 2999, layerPartBlob = content[2500..] }));
        Assert.Equal("InvalidLayerPartException", skipped.GetProperty("__type").GetString());
        await CallAsync("UploadLayerPart", JsonSerializer.Serialize(new { repositoryName = name, uploadId = id, partFirstByte = 2000, partLastByte = 2999, layerPartBlob = content[2000..] }));
        var (status, completed) = await CallAsync("CompleteLayerUpload", JsonSerializer.Serialize(new { repositoryName = name, uploadId = id, layerDigests = new[] { digest } }));
        Assert.Equal(200, status);
        Assert.Equal(digest, completed.GetProperty("layerDigest").GetString());
        var (_, available) = await CallAsync("BatchCheckLayerAvailability", JsonSerializer.Serialize(new { repositoryName = name, layerDigests = new[] { digest, RegistryTestClient.DigestOf([1]) } }));
        Assert.Equal("AVAILABLE", available.GetProperty("layers")[0].GetProperty("layerAvailability").GetString());
        Assert.Equal("MissingLayerDigest", available.GetProperty("failures")[0].GetProperty("failureCode").GetString());
        var (_, url) = await CallAsync("GetDownloadUrlForLayer", JsonSerializer.Serialize(new { repositoryName = name, layerDigest = digest }));
        using var get = await _client.SendAsync(HttpMethod.Get, url.GetProperty("downloadUrl").GetString()!);
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task CompleteLayerUpload_with_the_wrong_digest_is_InvalidLayerException()
    {
        var name = await _client.CreateRepositoryAsync();
        var (_, initiated) = await CallAsync("InitiateLayerUpload", $$"""{"repositoryName":"{{name}}"}""");
        var id = initiated.GetProperty("uploadId").GetString();
        await CallAsync("UploadLayerPart", JsonSerializer.Serialize(new { repositoryName = name, uploadId = id, partFirstByte = 0, partLastByte = 2, layerPartBlob = new byte[] { 1, 2, 3 } }));
        var (_, error) = await CallAsync("CompleteLayerUpload", JsonSerializer.Serialize(new { repositoryName = name, uploadId = id, layerDigests = new[] { RegistryTestClient.DigestOf([9]) } }));
        Assert.Equal("InvalidLayerException", error.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Repository_policy_deny_is_enforced_on_pull_and_push()
    {
        var name = await _client.CreateRepositoryAsync();
        var (json, _) = await _client.ImageAsync(name);
        (await _client.PushManifestAsync(name, "v1", json)).Dispose();
        var policy = """{"Version":"2012-10-17","Statement":[{"Sid":"nopull","Effect":"Deny","Principal":"*","Action":["ecr:BatchGetImage","ecr:PutImage"]}]}""";
        var (status, _) = await CallAsync("SetRepositoryPolicy", JsonSerializer.Serialize(new { repositoryName = name, policyText = policy }));
        Assert.Equal(200, status);
        using (var pull = await _client.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, pull.StatusCode);
            Assert.Equal("DENIED", await RegistryTestClient.ErrorCodeAsync(pull));
        }
        using (var push = await _client.PushManifestAsync(name, "v2", json))
        {
            Assert.Equal(HttpStatusCode.Forbidden, push.StatusCode);
        }
        var (_, got) = await CallAsync("GetRepositoryPolicy", $$"""{"repositoryName":"{{name}}"}""");
        Assert.Equal(policy, got.GetProperty("policyText").GetString());
        await CallAsync("DeleteRepositoryPolicy", $$"""{"repositoryName":"{{name}}"}""");
        using var allowed = await _client.SendAsync(HttpMethod.Get, $"/v2/{name}/manifests/v1");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var (_, missing) = await CallAsync("GetRepositoryPolicy", $$"""{"repositoryName":"{{name}}"}""");
        Assert.Equal("RepositoryPolicyNotFoundException", missing.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Lifecycle_policy_preview_lists_what_it_would_expire()
    {
        var name = await _client.CreateRepositoryAsync();
        var digests = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (json, digest) = await _client.ImageAsync(name);
            (await _client.PushManifestAsync(name, digest, json)).Dispose();
            digests.Add(digest);
        }
        var policy = """{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}""";
        var (put, _) = await CallAsync("PutLifecyclePolicy", JsonSerializer.Serialize(new { repositoryName = name, lifecyclePolicyText = policy }));
        Assert.Equal(200, put);
        var (_, started) = await CallAsync("StartLifecyclePolicyPreview", $$"""{"repositoryName":"{{name}}"}""");
        Assert.Equal("COMPLETE", started.GetProperty("status").GetString());
        var (_, preview) = await CallAsync("GetLifecyclePolicyPreview", $$"""{"repositoryName":"{{name}}"}""");
        Assert.Equal(2, preview.GetProperty("summary").GetProperty("expiringImageTotalCount").GetInt32());
        Assert.All(preview.GetProperty("previewResults").EnumerateArray(), r => Assert.Equal("EXPIRE", r.GetProperty("action").GetProperty("type").GetString()));
        var (_, bad) = await CallAsync("PutLifecyclePolicy", JsonSerializer.Serialize(new { repositoryName = name, lifecyclePolicyText = """{"rules":[]}""" }));
        Assert.Equal("InvalidParameterException", bad.GetProperty("__type").GetString());
    }

    [Fact]
    public async Task Operations_on_a_missing_repository_are_RepositoryNotFoundException()
    {
        foreach (var operation in new[] { "ListImages", "DescribeImages", "DeleteRepository", "InitiateLayerUpload", "GetLifecyclePolicy" })
        {
            var (status, body) = await CallAsync(operation, """{"repositoryName":"does-not-exist"}""");
            Assert.Equal(400, status);
            Assert.Equal("RepositoryNotFoundException", body.GetProperty("__type").GetString());
        }
    }

    public void Dispose() => _client.Dispose();
}
