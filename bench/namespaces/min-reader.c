// min-reader: the floor for reading a network namespace's counters, to set NetDrop's per-namespace cost against.
//
//   min-reader [--dev] [--scan] INTERVAL_S ROUNDS PID...
//
// For each PID (one task per namespace) it opens <proc>/PID/net/netstat, snmp, snmp6 (and dev with --dev) once, as
// NetDrop does (KernelFile keeps the descriptor), then every INTERVAL_S for ROUNDS rounds reads each file whole with
// pread from offset 0 until pread returns 0 (what NetDrop's KernelFile does: the kernel formats the whole file as
// text on every read, fs/proc/proc_net.c -> seq_file; that formatting is the floor). Nothing is parsed: a reader
// cannot do less. With --scan each round also walks /proc as NetDrop's NetworkNamespaceScanner does
// (getdents64 + one statx of PID/net/netstat per process).
// Prints one line: "rounds R namespaces N cpu_us_per_round X cpu_us_per_namespace Y" (user + system time of this
// process from getrusage, the open of the files excluded).
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double cpu_us(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

static char buffer[1 << 16];

static void read_whole(int fd)
{
    off_t offset = 0;
    ssize_t n;
    while ((n = pread(fd, buffer, sizeof buffer, offset)) > 0)
        offset += n;
}

static void scan_proc(void)
{
    static char entries[32 * 1024];
    int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return;
    long n;
    while ((n = syscall(SYS_getdents64, dir, entries, sizeof entries)) > 0) {
        for (long at = 0; at < n;) {
            struct dirent64 *e = (struct dirent64 *)(entries + at);
            at += e->d_reclen;
            if (e->d_name[0] < '0' || e->d_name[0] > '9')
                continue;
            char path[sizeof e->d_name + 16];
            struct statx st;
            snprintf(path, sizeof path, "%s/net/netstat", e->d_name);
            statx(dir, path, 0, STATX_INO, &st);
        }
    }
    close(dir);
}

int main(int argc, char **argv)
{
    int dev = 0, scan = 0, a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "--dev") == 0)
            dev = 1;
        else if (strcmp(argv[a], "--scan") == 0)
            scan = 1;
        else {
            fprintf(stderr, "min-reader: unknown option %s\n", argv[a]);
            return 2;
        }
    }
    if (argc - a < 3) {
        fprintf(stderr, "usage: min-reader [--dev] [--scan] INTERVAL_S ROUNDS PID...\n");
        return 2;
    }
    double interval = atof(argv[a]);
    int rounds = atoi(argv[a + 1]);
    int count = argc - a - 2, files = dev ? 4 : 3;
    const char *names[] = {"netstat", "snmp", "snmp6", "dev"};
    int *fds = calloc((size_t)count * files, sizeof *fds);
    for (int i = 0; i < count; i++)
        for (int f = 0; f < files; f++) {
            char path[64];
            snprintf(path, sizeof path, "/proc/%s/net/%s", argv[a + 2 + i], names[f]);
            if ((fds[i * files + f] = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
                perror(path);
                return 1;
            }
        }

    struct timespec pause = {(time_t)interval, (long)((interval - (time_t)interval) * 1e9)};
    double start = cpu_us();
    for (int r = 0; r < rounds; r++) {
        if (scan)
            scan_proc();
        for (int i = 0; i < count * files; i++)
            read_whole(fds[i]);
        nanosleep(&pause, NULL); // as the agent sleeps between samples: the caches are as cold for both
    }
    double used = cpu_us() - start;
    printf("rounds %d namespaces %d cpu_us_per_round %.1f cpu_us_per_namespace %.1f\n", rounds, count, used / rounds, used / rounds / count);
    return 0;
}
