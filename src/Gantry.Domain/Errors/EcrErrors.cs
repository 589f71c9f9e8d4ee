namespace Gantry.Domain.Errors;

/// <summary>The ECR error shapes (aws-models/ecr-2015-09-21.json) with the messages ECR writes.</summary>
public static class EcrErrors
{
    public static AwsException InvalidParameter(string message) => new("InvalidParameterException", message);

    public static AwsException Validation(string message) => new("ValidationException", message);

    public static AwsException RepositoryNotFound(string name, string registryId) =>
        new("RepositoryNotFoundException", $"The repository with name '{name}' does not exist in the registry with id '{registryId}'");

    public static AwsException RepositoryAlreadyExists(string name, string registryId) =>
        new("RepositoryAlreadyExistsException", $"The repository with name '{name}' already exists in the registry with id '{registryId}'");

    public static AwsException RepositoryNotEmpty(string name, string registryId) =>
        new("RepositoryNotEmptyException", $"The repository with name '{name}' in registry with id '{registryId}' cannot be deleted because it still contains images");

    public static AwsException RepositoryPolicyNotFound(string name, string registryId) =>
        new("RepositoryPolicyNotFoundException", $"Repository policy does not exist for the repository with name '{name}' in the registry with id '{registryId}'");

    public static AwsException LifecyclePolicyNotFound(string name, string registryId) =>
        new("LifecyclePolicyNotFoundException", $"Lifecycle policy does not exist for the repository with name '{name}' in the registry with id '{registryId}'");

    public static AwsException LifecyclePolicyPreviewNotFound(string name, string registryId) =>
        new("LifecyclePolicyPreviewNotFoundException", $"There is no lifecycle policy preview for the repository with name '{name}' in the registry with id '{registryId}'");

    public static AwsException ImageTagAlreadyExists(string message) => new("ImageTagAlreadyExistsException", message);

    public static AwsException ImageAlreadyExists(string message) => new("ImageAlreadyExistsException", message);

    public static AwsException ImageDigestDoesNotMatch(string message) => new("ImageDigestDoesNotMatchException", message);

    public static AwsException LayersNotFound(string message) => new("LayersNotFoundException", message);

    public static AwsException ReferencedImagesNotFound(string message) => new("ReferencedImagesNotFoundException", message);

    public static AwsException UploadNotFound(string message) => new("UploadNotFoundException", message);

    public static AwsException InvalidLayerPart(string message) => new("InvalidLayerPartException", message);

    public static AwsException InvalidLayer(string message) => new("InvalidLayerException", message);

    public static AwsException EmptyUpload(string message) => new("EmptyUploadException", message);

    public static AwsException LayerAlreadyExists(string message) => new("LayerAlreadyExistsException", message);

    public static AwsException ImageNotFound(string message) => new("ImageNotFoundException", message);

    public static AwsException InvalidTagParameter(string message) => new("InvalidTagParameterException", message);

    public static AwsException TooManyTags(string message) => new("TooManyTagsException", message);
}
