using System.Globalization;

namespace NetDrop.Kernel.Bpf;

/// <summary>
/// Reads <c>/sys/devices/system/cpu/possible</c>, a cpulist such as <c>0-1</c> or <c>0,2-5</c> (lib/bitmap-str.c
/// <c>bitmap_print_to_pagebuf</c> with list=true). A per-CPU map lookup returns one value per possible CPU
/// (kernel/bpf/arraymap.c <c>bpf_percpu_array_copy</c>: <c>for_each_possible_cpu</c>), so that is how many 8-byte
/// slots the caller's buffer needs: the number of CPUs in the list, not the highest number plus one.
/// </summary>
public static class PossibleCpus
{
    public const string Path = "/sys/devices/system/cpu/possible";

    public static int Read(string path = Path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DropReasonsUnavailableException(DropReasonsMissing.Format, $"{path} cannot be read: {e.Message}");
        }

        return Parse(text, path);
    }

    public static int Parse(string text, string path)
    {
        int count = 0;
        foreach (string part in text.Trim().Split(','))
        {
            string[] bounds = part.Split('-');
            if (bounds.Length is < 1 or > 2
                || !int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                || last < first)
            {
                throw new DropReasonsUnavailableException(DropReasonsMissing.Format,
                    $"{path} is not a CPU list like '0-3' or '0,2-5': '{text.Trim()}'.");
            }

            count += last - first + 1;
        }

        return count;
    }
}
