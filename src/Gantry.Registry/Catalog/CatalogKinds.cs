namespace Gantry.Registry.Catalog;

/// <summary>Store kinds and keys of the registry catalog. Repository names never contain '@' or ':'.</summary>
public static class CatalogKinds
{
    public const string Repository = "ecr-repository";
    public const string Image = "ecr-image";
    public const string Tag = "ecr-tag";
    public const string Blob = "ecr-blob";
    public const string Referrer = "ecr-referrer";

    public static string ImageKey(string repository, string digest) => $"{repository}@{digest}";

    public static string ImagePrefix(string repository) => repository + "@";

    public static string TagKey(string repository, string tag) => $"{repository}:{tag}";

    public static string TagPrefix(string repository) => repository + ":";

    public static string BlobKey(string repository, string digest) => $"{repository}@{digest}";

    public static string ReferrerKey(string repository, string subject, string digest) => $"{repository}@{subject}@{digest}";

    public static string ReferrerPrefix(string repository, string subject) => $"{repository}@{subject}@";
}
