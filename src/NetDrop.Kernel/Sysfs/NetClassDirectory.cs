namespace NetDrop.Kernel.Sysfs;

/// <summary>The interfaces of this network namespace, as the entries of <c>/sys/class/net/</c> (links to devices).</summary>
internal static class NetClassDirectory
{
    public static string[] ListInterfaces(string sysRoot)
    {
        string directory = KernelPaths.NetClass(sysRoot);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        string[] names = Directory.GetFileSystemEntries(directory);
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = Path.GetFileName(names[i]);
        }

        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    public static bool Exists(string sysRoot, string name) =>
        Path.Exists(KernelPaths.Interface(sysRoot, name));
}
