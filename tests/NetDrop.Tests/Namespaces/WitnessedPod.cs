using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// One pod of <see cref="PodGroundTruthTests"/> and what the test knows about it on its own: how the agent must name
/// it in the detail CSV (scope and key, written by the test from the cgroup path it chose), the node side of its
/// veth, the drops the test witnessed per CSV column, and its namespace's kernel counters when first and last read.
/// </summary>
internal sealed class WitnessedPod(string layout, PodLabPod task, string detailScope, string detailKey, string nodeVeth)
{
    private readonly List<PodLabPod> _tasks = [task];

    /// <summary>The cgroup layout, for failure messages (<c>cgroupfs burstable</c>, <c>systemd + CRI-O</c>, ...).</summary>
    public string Layout { get; } = layout;

    /// <summary>The pod's first task: the namespace's creator (the sandbox).</summary>
    public PodLabPod FirstTask { get; } = task;

    /// <summary>Every task in the pod's namespace (a second container joins the first one's).</summary>
    public IReadOnlyList<PodLabPod> Tasks => _tasks;

    /// <summary>The detail CSV's scope for this pod: <c>pod</c> for a Kubernetes pod, <c>namespace</c> for a plain container.</summary>
    public string DetailScope { get; } = detailScope;

    /// <summary>The detail CSV's key: the pod uid, or a plain container's id.</summary>
    public string DetailKey { get; } = detailKey;

    public string NodeVeth { get; } = nodeVeth;

    /// <summary>Witnessed drops per CSV column, summed over every inducer run in the pod.</summary>
    public Dictionary<string, long> Witnessed { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Before { get; private set; } = new Dictionary<string, long>();

    /// <summary>The last reading, taken before the pod was killed (a dead namespace cannot be read by the test).</summary>
    public IReadOnlyDictionary<string, long>? Final { get; private set; }

    public void AddTask(PodLabPod container) => _tasks.Add(container);

    public void ReadBefore() => Before = NamespaceMibOracle.ReadTask(FirstTask.Pid);

    public void ReadFinal() => Final = NamespaceMibOracle.ReadTask(FirstTask.Pid);

    /// <summary>This namespace's change of <paramref name="column"/> since <see cref="ReadBefore"/>, read now.</summary>
    public long KernelDeltaNow(string column) =>
        NamespaceMibOracle.Column(NamespaceMibOracle.ReadTask(FirstTask.Pid), column) - NamespaceMibOracle.Column(Before, column);

    public void Witness(DropWitness witness)
    {
        foreach ((string column, long count) in witness.Counts)
        {
            Witnessed[column] = Witnessed.GetValueOrDefault(column) + count;
        }
    }

    public long WitnessedOf(string column) => Witnessed.GetValueOrDefault(column);

    /// <summary>Kills every task of the pod: nothing of the lab holds its namespace any more.</summary>
    public void Kill()
    {
        foreach (PodLabPod container in _tasks)
        {
            container.Kill();
        }
    }

    public override string ToString() => $"{Layout} pod {DetailKey} (pid {FirstTask.Pid})";
}
