namespace NetDrop.Sources;

/// <summary>
/// Which interfaces to monitor: names or shell-style globs (<c>eth*</c>, <c>ens?f0</c>), minus excludes. An exact
/// name is a promise the user made (it must exist at start); a glob is a wish (it may match nothing yet, and picks
/// up interfaces as they appear).
/// </summary>
internal sealed class InterfaceSelector
{
    // PERF: Matches runs for every interface of every sample. Copies in arrays, walked with for loops, allocate
    // nothing; a foreach over IReadOnlyList<string> boxes an enumerator per list per call (~40 B each, 224 B per
    // sample on a four-interface host).
    private readonly string[] _include;
    private readonly string[] _exclude;

    public InterfaceSelector(IReadOnlyList<string> include, IReadOnlyList<string> exclude)
    {
        _include = [.. include];
        _exclude = [.. exclude];
        HasGlobs = _include.Any(IsGlob);
    }

    public IReadOnlyList<string> Include => _include;

    public IReadOnlyList<string> Exclude => _exclude;

    /// <summary>Whether any include pattern is a glob (computed once: the sysfs source asks every sample).</summary>
    public bool HasGlobs { get; }

    public IEnumerable<string> ExactNames => Include.Where(pattern => !IsGlob(pattern));

    public static bool IsGlob(string pattern) => pattern.AsSpan().IndexOfAny('*', '?', '[') >= 0;

    public bool Matches(ReadOnlySpan<char> name)
    {
        for (int i = 0; i < _exclude.Length; i++)
        {
            if (GlobMatch(_exclude[i], name))
            {
                return false;
            }
        }

        for (int i = 0; i < _include.Length; i++)
        {
            if (GlobMatch(_include[i], name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Shell glob: <c>*</c> any run, <c>?</c> one character, <c>[abc]</c>/<c>[a-z]</c> one of a set.</summary>
    public static bool GlobMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && MatchOne(pattern, ref p, text[t]))
            {
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    // Advances p past one pattern element if it matches c.
    private static bool MatchOne(ReadOnlySpan<char> pattern, ref int p, char c)
    {
        if (pattern[p] == '?')
        {
            p++;
            return true;
        }

        if (pattern[p] == '[')
        {
            int close = pattern[(p + 1)..].IndexOf(']');
            if (close > 0)
            {
                ReadOnlySpan<char> set = pattern.Slice(p + 1, close);
                bool negate = set[0] == '!' || set[0] == '^';
                if (negate)
                {
                    set = set[1..];
                }

                bool found = false;
                for (int i = 0; i < set.Length; i++)
                {
                    if (i + 2 < set.Length && set[i + 1] == '-')
                    {
                        found |= c >= set[i] && c <= set[i + 2];
                        i += 2;
                    }
                    else
                    {
                        found |= set[i] == c;
                    }
                }

                if (found != negate)
                {
                    p += close + 2;
                    return true;
                }

                return false;
            }
        }

        if (pattern[p] == c)
        {
            p++;
            return true;
        }

        return false;
    }
}
