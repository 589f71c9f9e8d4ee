using System.Security.Cryptography;
using System.Text;
using Gantry.Store;

namespace Gantry.Auth.Keys;

/// <summary>
/// The 256-bit key that encrypts secrets at rest (AES-GCM). Lives in one file readable only by its owner (0600,
/// also for a key an older version wrote); created atomically on first use.
/// </summary>
public sealed class MasterKey
{
    private const int KeyBytes = 32, NonceBytes = 12, TagBytes = 16;
    private readonly byte[] _key;

    public MasterKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key.Length == KeyBytes ? key : throw new ArgumentException($"A master key has {KeyBytes} bytes.", nameof(key));
    }

    public static MasterKey LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var temp = $"{path}.{Environment.ProcessId}.tmp";
            using (var file = new FileStream(temp, PrivateFiles.NewFile(FileMode.CreateNew, FileAccess.Write)))
            {
                PrivateFiles.Restrict(temp);
                file.Write(RandomNumberGenerator.GetBytes(KeyBytes));
                file.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp); // another process created it first: use theirs
            }
        }
        PrivateFiles.Restrict(path);
        return new MasterKey(File.ReadAllBytes(path));
    }

    /// <summary>A key for <paramref name="purpose"/> derived from the master key (HKDF-SHA256), e.g. to sign tokens.</summary>
    public byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, KeyBytes, info: Encoding.UTF8.GetBytes(purpose));

    /// <summary>Encrypts <paramref name="plaintext"/>, bound to <paramref name="context"/> (e.g. the access key id).</summary>
    public string Seal(string plaintext, string context)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceBytes + data.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, data, sealedBytes.AsSpan(NonceBytes, data.Length), sealedBytes.AsSpan(NonceBytes + data.Length), Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>Decrypts what <see cref="Seal"/> produced; throws <see cref="CryptographicException"/> for a wrong key or context.</summary>
    public string Open(string sealedText, string context)
    {
        var sealedBytes = Convert.FromBase64String(sealedText);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The sealed value is too short.");
        }
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var data = new byte[length];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), data,
            Encoding.UTF8.GetBytes(context));
        return Encoding.UTF8.GetString(data);
    }
}
