using System.Runtime.InteropServices;

internal static partial class Interop
{
    /// <summary>
    /// bpf(2) through <c>syscall(2)</c>: glibc has no wrapper. Commands, map and program types are
    /// include/uapi/linux/bpf.h; each attribute struct below is the member of <c>union bpf_attr</c> its command reads.
    /// The kernel accepts a shorter attr than its own union (<c>bpf_check_uarg_tail_zero</c> zero-fills the rest), so
    /// each command passes exactly its struct's size.
    /// </summary>
    internal static partial class Bpf
    {
        // asm/unistd_64.h (x86_64) and asm-generic/unistd.h (arm64).
        internal static readonly nint SYS_bpf = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 280 : 321;

        internal const int BPF_MAP_CREATE = 0;
        internal const int BPF_MAP_LOOKUP_ELEM = 1;
        internal const int BPF_PROG_LOAD = 5;
        internal const int BPF_PROG_TEST_RUN = 10;
        internal const int BPF_PROG_GET_NEXT_ID = 11;
        internal const int BPF_MAP_GET_NEXT_ID = 12;
        internal const int BPF_PROG_GET_FD_BY_ID = 13;
        internal const int BPF_MAP_GET_FD_BY_ID = 14;
        internal const int BPF_OBJ_GET_INFO_BY_FD = 15;
        internal const int BPF_RAW_TRACEPOINT_OPEN = 17;

        internal const uint BPF_MAP_TYPE_PERCPU_HASH = 5;
        internal const uint BPF_MAP_TYPE_PERCPU_ARRAY = 6;
        internal const uint BPF_PROG_TYPE_TRACEPOINT = 5;
        internal const uint BPF_PROG_TYPE_RAW_TRACEPOINT = 17;


        [StructLayout(LayoutKind.Sequential)]
        internal struct MapCreateAttr // union bpf_attr, BPF_MAP_CREATE
        {
            public uint map_type;
            public uint key_size;
            public uint value_size;
            public uint max_entries;
            public uint map_flags;
            public uint inner_map_fd;
            public uint numa_node;
            public unsafe fixed byte map_name[16]; // BPF_OBJ_NAME_LEN
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct MapElemAttr // union bpf_attr, BPF_MAP_*_ELEM
        {
            public uint map_fd;
            private readonly uint _pad;
            public ulong key;
            public ulong value;
            public ulong flags;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct ProgLoadAttr // union bpf_attr, BPF_PROG_LOAD
        {
            public uint prog_type;
            public uint insn_cnt;
            public ulong insns;
            public ulong license;
            public uint log_level;
            public uint log_size;
            public ulong log_buf;
            public uint kern_version;
            public uint prog_flags;
            public unsafe fixed byte prog_name[16]; // BPF_OBJ_NAME_LEN
        }

        // Offsets of the name[BPF_OBJ_NAME_LEN] member: struct bpf_prog_info (type, id, tag[8], jited_prog_len,
        // xlated_prog_len, jited_prog_insns, xlated_prog_insns, load_time, created_by_uid, nr_map_ids, map_ids, name)
        // and struct bpf_map_info (type, id, key_size, value_size, max_entries, map_flags, name).
        internal const int bpf_prog_info_name = 64;
        internal const int bpf_map_info_name = 24;

        [StructLayout(LayoutKind.Sequential)]
        internal struct ProgTestRunAttr // union bpf_attr, BPF_PROG_TEST_RUN (struct test)
        {
            public uint prog_fd;
            public uint retval;
            public uint data_size_in;
            public uint data_size_out;
            public ulong data_in;
            public ulong data_out;
            public uint repeat;
            public uint duration;
            public uint ctx_size_in;
            public uint ctx_size_out;
            public ulong ctx_in;
            public ulong ctx_out;
            public uint flags;
            public uint cpu;
            public uint batch_size;
            private readonly uint _pad;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct GetNextIdAttr // union bpf_attr, BPF_*_GET_NEXT_ID
        {
            public uint start_id;
            public uint next_id;
            public uint open_flags;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct ObjGetInfoAttr // union bpf_attr, BPF_OBJ_GET_INFO_BY_FD (struct info)
        {
            public uint bpf_fd;
            public uint info_len;
            public ulong info;
        }

        /// <summary>
        /// The first two fields of struct bpf_prog_info and struct bpf_map_info alike (type, id): the kernel copies
        /// min(info_len, its size) bytes, so asking for 8 is valid (kernel/bpf/syscall.c <c>bpf_prog_get_info_by_fd</c>).
        /// </summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct ObjInfoHead
        {
            public uint type;
            public uint id;
        }

        [StructLayout(LayoutKind.Sequential)]
        internal struct RawTracepointOpenAttr // union bpf_attr, BPF_RAW_TRACEPOINT_OPEN (struct raw_tracepoint)
        {
            public ulong name;
            public uint prog_fd;
            private readonly uint _pad;
        }

        /// <returns>The syscall's result (a new fd, or 0), or -1 with errno set.</returns>
        [LibraryImport(Libraries.Libc, EntryPoint = "syscall", SetLastError = true)]
        internal static unsafe partial nint bpf(nint number, int cmd, void* attr, uint size);

        internal static unsafe int Call<T>(int cmd, ref T attr)
            where T : unmanaged
        {
            fixed (T* pointer = &attr)
            {
                return (int)bpf(SYS_bpf, cmd, pointer, (uint)sizeof(T));
            }
        }
    }
}
