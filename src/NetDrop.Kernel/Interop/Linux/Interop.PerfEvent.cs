using System.Runtime.InteropServices;

internal static partial class Interop
{
    /// <summary>perf_event_open(2) through <c>syscall(2)</c> (no glibc wrapper), include/uapi/linux/perf_event.h.</summary>
    internal static partial class PerfEvent
    {
        internal static readonly nint SYS_perf_event_open = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 241 : 298;

        internal const uint PERF_TYPE_TRACEPOINT = 2;
        internal const ulong PERF_FLAG_FD_CLOEXEC = 1 << 3;

        // _IO('$', 0) and _IOW('$', 8, __u32).
        internal const nuint PERF_EVENT_IOC_ENABLE = 0x2400;
        internal const nuint PERF_EVENT_IOC_SET_BPF = 0x40042408;

        /// <summary>
        /// struct perf_event_attr up to <c>PERF_ATTR_SIZE_VER0</c> (64 bytes): type, size, config, sample period,
        /// sample_type, read_format, the flag bitfield, wakeup and bp_type. A tracepoint needs nothing past it.
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct PerfEventAttr // struct perf_event_attr (VER0)
        {
            public uint type;
            public uint size;
            public ulong config;
            public ulong sample_period;
            public ulong sample_type;
            public ulong read_format;
            public ulong flags; // disabled:1, inherit:1, ... (bit 0 = disabled)
            public uint wakeup_events;
            public uint bp_type;
            public ulong config1;
        }

        [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
        internal static unsafe partial nint perf_event_open(nint number, PerfEventAttr* attr, int pid, int cpu, int group_fd, ulong flags);
    }
}
