namespace NetDrop.Agent;

/// <summary>
/// A file whose modification time says the sampling loop is alive: touched after every sample, checked by
/// <c>netdrop health</c> in an exec liveness probe (no port opened on the host's network).
/// </summary>
internal sealed class HeartbeatFile
{
    private readonly string _path;

    public HeartbeatFile(string path)
    {
        _path = path;
    }

    public void Touch()
    {
        try
        {
            if (!File.Exists(_path))
            {
                File.WriteAllBytes(_path, []);
            }

            File.SetLastWriteTimeUtc(_path, DateTime.UtcNow);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A probe that cannot see the heartbeat restarts the pod; sampling itself must not stop over it.
        }
    }
}
