using System.Runtime.InteropServices;
using System.Text;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Kernel.Bpf;

/// <summary>
/// The bpf(2) and perf_event_open(2) calls the drop-reason counter makes, each returning an owned fd or throwing
/// <see cref="DropReasonsUnavailableException"/> with what is missing. Every fd is opened close-on-exec: the
/// kernel sets O_CLOEXEC on bpf object fds (kernel/bpf/syscall.c <c>bpf_map_new_fd</c>, <c>bpf_prog_new_fd</c> use
/// <c>O_RDWR | O_CLOEXEC</c>), and perf fds are asked for with PERF_FLAG_FD_CLOEXEC.
/// </summary>
internal static class BpfObjects
{
    private const int ENOSYS = 38;
    private const int LogSize = 64 * 1024;

    /// <summary>A per-CPU array of <paramref name="entries"/> values of <paramref name="counters"/> u64 counters each.</summary>
    public static SafeFdHandle CreatePerCpuArray(int entries, int counters, string name) =>
        CreateMap(Interop.Bpf.BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(uint), counters * sizeof(ulong), entries, name, "per-CPU array");

    /// <summary>A per-CPU hash of 8-byte keys (reason, namespace inode) to 8-byte counters.</summary>
    public static SafeFdHandle CreatePerCpuHash(int entries, string name) =>
        CreateMap(Interop.Bpf.BPF_MAP_TYPE_PERCPU_HASH, sizeof(ulong), sizeof(ulong), entries, name, "per-CPU hash");

    private static unsafe SafeFdHandle CreateMap(uint type, int keySize, int valueSize, int entries, string name, string kind)
    {
        var attr = new Interop.Bpf.MapCreateAttr
        {
            map_type = type,
            key_size = (uint)keySize,
            value_size = (uint)valueSize,
            max_entries = (uint)entries,
        };
        CopyName(name, attr.map_name);
        int fd = Interop.Bpf.Call(Interop.Bpf.BPF_MAP_CREATE, ref attr);
        return fd >= 0 ? new SafeFdHandle(fd) : throw Refused($"BPF_MAP_CREATE ({kind})", Marshal.GetLastPInvokeError());
    }

    /// <summary>Loads a program; a verifier refusal throws with the verifier's log in the message.</summary>
    public static unsafe SafeFdHandle LoadProgram(uint type, ReadOnlySpan<BpfInstruction> instructions, string name)
    {
        byte[] log = new byte[LogSize];
        // GPL-compatible, as the tracing helpers a richer program would call (bpf_probe_read_kernel) are gpl_only
        // (kernel/trace/bpf_trace.c); bpf_map_lookup_elem itself is not.
        ReadOnlySpan<byte> license = "GPL\0"u8;
        fixed (BpfInstruction* insns = instructions)
        fixed (byte* licensePointer = license)
        fixed (byte* logPointer = log)
        {
            var attr = new Interop.Bpf.ProgLoadAttr
            {
                prog_type = type,
                insn_cnt = (uint)instructions.Length,
                insns = (ulong)insns,
                license = (ulong)licensePointer,
            };
            CopyName(name, attr.prog_name);
            int fd = Interop.Bpf.Call(Interop.Bpf.BPF_PROG_LOAD, ref attr);
            if (fd >= 0)
            {
                return new SafeFdHandle(fd);
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno is Interop.Errno.EPERM or ENOSYS)
            {
                throw Refused("BPF_PROG_LOAD", errno);
            }

            // Load again with the log on: a first load without it keeps the common path free of 64 KiB of verifier text.
            attr.log_level = 1;
            attr.log_size = LogSize;
            attr.log_buf = (ulong)logPointer;
            fd = Interop.Bpf.Call(Interop.Bpf.BPF_PROG_LOAD, ref attr);
            if (fd >= 0)
            {
                return new SafeFdHandle(fd);
            }

            errno = Marshal.GetLastPInvokeError();
            int length = log.AsSpan().IndexOf((byte)0);
            string verifier = Encoding.UTF8.GetString(log, 0, length < 0 ? log.Length : length).Trim();
            throw new DropReasonsUnavailableException(DropReasonsMissing.Load,
                $"The kernel refused the drop-reason program (BPF_PROG_LOAD: {Marshal.GetPInvokeErrorMessage(errno)}); verifier log: {verifier}",
                errno);
        }
    }

    public static unsafe SafeFdHandle OpenRawTracepoint(string tracepoint, SafeFdHandle program)
    {
        byte[] name = Encoding.ASCII.GetBytes(tracepoint + "\0");
        bool added = false;
        program.DangerousAddRef(ref added);
        try
        {
            fixed (byte* namePointer = name)
            {
                var attr = new Interop.Bpf.RawTracepointOpenAttr
                {
                    name = (ulong)namePointer,
                    prog_fd = (uint)program.DangerousGetHandle(),
                };
                int fd = Interop.Bpf.Call(Interop.Bpf.BPF_RAW_TRACEPOINT_OPEN, ref attr);
                if (fd >= 0)
                {
                    return new SafeFdHandle(fd);
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == Interop.Errno.ENOENT)
                {
                    throw new DropReasonsUnavailableException(DropReasonsMissing.Tracepoint,
                        $"The kernel has no raw tracepoint '{tracepoint}' (BPF_RAW_TRACEPOINT_OPEN: ENOENT).", errno);
                }

                throw Refused($"BPF_RAW_TRACEPOINT_OPEN {tracepoint}", errno);
            }
        }
        finally
        {
            program.DangerousRelease();
        }
    }

    /// <summary>
    /// perf_event_open(PERF_TYPE_TRACEPOINT, config = id) on one CPU for every process (pid -1), then
    /// PERF_EVENT_IOC_SET_BPF and ENABLE.
    /// Returns null for a possible CPU that is offline (ENODEV, kernel/events/core.c <c>find_get_context</c>).
    /// </summary>
    public static unsafe SafeFdHandle? OpenTracepointEvent(int tracepointId, int cpu, SafeFdHandle program)
    {
        var attr = new Interop.PerfEvent.PerfEventAttr
        {
            type = Interop.PerfEvent.PERF_TYPE_TRACEPOINT,
            size = (uint)sizeof(Interop.PerfEvent.PerfEventAttr),
            config = (ulong)tracepointId,
            sample_period = 1,
            wakeup_events = 1,
        };
        int fd = (int)Interop.PerfEvent.perf_event_open(Interop.PerfEvent.SYS_perf_event_open, &attr, -1, cpu, -1,
            Interop.PerfEvent.PERF_FLAG_FD_CLOEXEC);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Interop.Errno.ENODEV)
            {
                return null;
            }

            if (errno is Interop.Errno.ENOENT or Interop.Errno.EINVAL)
            {
                throw new DropReasonsUnavailableException(DropReasonsMissing.Tracepoint,
                    $"perf_event_open refused tracepoint id {tracepointId} on CPU {cpu} ({Marshal.GetPInvokeErrorMessage(errno)}).", errno);
            }

            throw Refused($"perf_event_open (tracepoint {tracepointId}, CPU {cpu})", errno);
        }

        var handle = new SafeFdHandle(fd);
        int programFd = (int)program.DangerousGetHandle();
        if (Interop.Libc.ioctl(handle, Interop.PerfEvent.PERF_EVENT_IOC_SET_BPF, (void*)(nint)programFd) != 0
            || Interop.Libc.ioctl(handle, Interop.PerfEvent.PERF_EVENT_IOC_ENABLE, null) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw Refused($"PERF_EVENT_IOC_SET_BPF/ENABLE (tracepoint {tracepointId}, CPU {cpu})", errno);
        }

        return handle;
    }

    /// <summary>
    /// Reads one key of a per-CPU map into <paramref name="perCpu"/>: value_size bytes per possible CPU, CPU after CPU
    /// (kernel/bpf/arraymap.c <c>bpf_percpu_array_copy</c>, hashtab.c <c>bpf_percpu_hash_copy</c>).
    /// </summary>
    public static unsafe int LookupPerCpu(SafeFdHandle map, uint key, Span<ulong> perCpu) => LookupPerCpu(map, &key, perCpu);

    /// <summary>As <see cref="LookupPerCpu(SafeFdHandle, uint, Span{ulong})"/> with a key of the map's key size; ENOENT when absent.</summary>
    public static unsafe int LookupPerCpu(SafeFdHandle map, void* key, Span<ulong> perCpu)
    {
        fixed (ulong* values = perCpu)
        {
            var attr = new Interop.Bpf.MapElemAttr
            {
                map_fd = (uint)map.DangerousGetHandle(),
                key = (ulong)key,
                value = (ulong)values,
            };
            return Interop.Bpf.Call(Interop.Bpf.BPF_MAP_LOOKUP_ELEM, ref attr) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>The id after <paramref name="start"/> of every loaded program (or map), 0 at the end; needs CAP_SYS_ADMIN.</summary>
    public static uint NextId(bool programs, uint start)
    {
        var attr = new Interop.Bpf.GetNextIdAttr { start_id = start };
        int result = Interop.Bpf.Call(programs ? Interop.Bpf.BPF_PROG_GET_NEXT_ID : Interop.Bpf.BPF_MAP_GET_NEXT_ID, ref attr);
        if (result == 0)
        {
            return attr.next_id;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == Interop.Errno.ENOENT ? 0u : throw Refused(programs ? "BPF_PROG_GET_NEXT_ID" : "BPF_MAP_GET_NEXT_ID", errno);
    }

    /// <summary>
    /// Runs a raw tracepoint program once on <paramref name="arguments"/> as its <c>u64 args[]</c>, outside any
    /// tracepoint (BPF_PROG_TEST_RUN, net/bpf/test_run.c <c>bpf_prog_test_run_raw_tp</c>); returns its return value.
    /// </summary>
    public static unsafe uint TestRunRawTracepoint(SafeFdHandle program, ReadOnlySpan<ulong> arguments)
    {
        fixed (ulong* args = arguments)
        {
            var attr = new Interop.Bpf.ProgTestRunAttr
            {
                prog_fd = (uint)program.DangerousGetHandle(),
                ctx_size_in = (uint)(arguments.Length * sizeof(ulong)),
                ctx_in = (ulong)args,
            };
            return Interop.Bpf.Call(Interop.Bpf.BPF_PROG_TEST_RUN, ref attr) == 0
                ? attr.retval
                : throw Refused("BPF_PROG_TEST_RUN", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>The kernel-wide id of a program or map fd (what <c>bpftool prog show id N</c> takes).</summary>
    public static uint IdOf(SafeFdHandle fd) => IdOf((int)fd.DangerousGetHandle());

    /// <inheritdoc cref="IdOf(SafeFdHandle)"/>
    public static unsafe uint IdOf(int fd)
    {
        Interop.Bpf.ObjInfoHead head = default;
        var attr = new Interop.Bpf.ObjGetInfoAttr
        {
            bpf_fd = (uint)fd,
            info_len = (uint)sizeof(Interop.Bpf.ObjInfoHead),
            info = (ulong)&head,
        };
        return Interop.Bpf.Call(Interop.Bpf.BPF_OBJ_GET_INFO_BY_FD, ref attr) == 0
            ? head.id
            : throw Refused("BPF_OBJ_GET_INFO_BY_FD", Marshal.GetLastPInvokeError());
    }

    /// <summary>Every loaded program's (or map's) id, walking BPF_*_GET_NEXT_ID from 0; needs CAP_SYS_ADMIN.</summary>
    public static List<uint> LoadedIds(bool programs)
    {
        var ids = new List<uint>();
        for (uint id = NextId(programs, 0); id != 0; id = NextId(programs, id))
        {
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>The name a loaded program (or map) was given, or null when the id is gone; needs CAP_SYS_ADMIN.</summary>
    public static unsafe string? NameOf(bool program, uint id)
    {
        var byId = new Interop.Bpf.GetNextIdAttr { start_id = id };
        int fd = Interop.Bpf.Call(program ? Interop.Bpf.BPF_PROG_GET_FD_BY_ID : Interop.Bpf.BPF_MAP_GET_FD_BY_ID, ref byId);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == Interop.Errno.ENOENT ? null : throw Refused("BPF_*_GET_FD_BY_ID", errno);
        }

        using var handle = new SafeFdHandle(fd);
        int nameOffset = program ? Interop.Bpf.bpf_prog_info_name : Interop.Bpf.bpf_map_info_name;
        byte* info = stackalloc byte[nameOffset + 16];
        new Span<byte>(info, nameOffset + 16).Clear();
        var attr = new Interop.Bpf.ObjGetInfoAttr { bpf_fd = (uint)fd, info_len = (uint)(nameOffset + 16), info = (ulong)info };
        if (Interop.Bpf.Call(Interop.Bpf.BPF_OBJ_GET_INFO_BY_FD, ref attr) != 0)
        {
            throw Refused("BPF_OBJ_GET_INFO_BY_FD", Marshal.GetLastPInvokeError());
        }

        var name = new ReadOnlySpan<byte>(info + nameOffset, 16);
        int end = name.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? name : name[..end]);
    }

    private static unsafe void CopyName(string name, byte* destination)
    {
        // BPF_OBJ_NAME_LEN is 16 with the NUL; the kernel accepts [A-Za-z0-9_.] only (bpf_obj_name_cpy).
        int length = Math.Min(name.Length, 15);
        for (int i = 0; i < length; i++)
        {
            destination[i] = (byte)name[i];
        }
    }

    private static DropReasonsUnavailableException Refused(string operation, int errno) => errno switch
    {
        Interop.Errno.EPERM or Interop.Errno.EACCES => new(DropReasonsMissing.Privilege,
            $"{operation} was refused ({Marshal.GetPInvokeErrorMessage(errno)}): counting drop reasons needs root or CAP_BPF + CAP_PERFMON.", errno),
        ENOSYS => new(DropReasonsMissing.Privilege, $"{operation} failed: this kernel has no bpf(2) (CONFIG_BPF_SYSCALL).", errno),
        _ => new(DropReasonsMissing.Load, $"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno),
    };
}
