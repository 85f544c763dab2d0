// first-sample: how long NetDrop takes from exec to its first sample, to its first reported interval and to exit.
//
//   first-sample DIR HEARTBEAT CSV -- netdrop monitor ... --csv DIR/CSV    (with NETDROP_HEARTBEAT_FILE=DIR/HEARTBEAT)
//
// The agent touches its heartbeat file right after the baseline sample (MonitorSession), so the file's creation is
// the moment the first sample is complete; the CSV gets its header when opened and its first row after the first
// interval, so its second write is the first reported interval. inotify sees both without polling, so the figures
// carry no sleep granularity. Prints one line: "first_sample_ms first_row_ms exit_ms exit_status"; the agent's
// standard output goes to /dev/null.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 6 || strcmp(argv[4], "--") != 0) {
        fprintf(stderr, "usage: first-sample DIR HEARTBEAT CSV -- command...\n");
        return 2;
    }
    const char *dir = argv[1], *heartbeat = argv[2], *csv = argv[3];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, heartbeat);
    unlink(path);
    snprintf(path, sizeof path, "%s/%s", dir, csv);
    unlink(path);

    int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (in < 0 || inotify_add_watch(in, dir, IN_CREATE | IN_MODIFY) < 0) {
        perror("inotify");
        return 1;
    }

    double start = now_ms();
    pid_t child = fork();
    if (child == 0) {
        int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC); // the agent's console lines are not wanted here
        if (devnull >= 0)
            dup2(devnull, STDOUT_FILENO);
        execvp(argv[5], &argv[5]);
        perror("execvp");
        _exit(127);
    }
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
    if (pidfd < 0) {
        perror("pidfd_open");
        return 1;
    }

    double first_sample = -1, first_row = -1, exited = -1;
    int csv_writes = 0, status = 0;
    while (exited < 0) {
        struct pollfd fds[2] = {{in, POLLIN, 0}, {pidfd, POLLIN, 0}};
        if (poll(fds, 2, 10000) == 0) { // bounded: a hung agent is killed, not waited for
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            fprintf(stderr, "first-sample: timed out after 10 s\n");
            return 1;
        }
        if (fds[0].revents & POLLIN) {
            char buffer[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
            ssize_t n;
            while ((n = read(in, buffer, sizeof buffer)) > 0) {
                double t = now_ms() - start;
                for (char *p = buffer; p < buffer + n;) {
                    struct inotify_event *e = (struct inotify_event *)p;
                    if (e->len > 0 && strcmp(e->name, heartbeat) == 0 && (e->mask & IN_CREATE) && first_sample < 0)
                        first_sample = t;
                    if (e->len > 0 && strcmp(e->name, csv) == 0 && (e->mask & IN_MODIFY) && ++csv_writes == 2)
                        first_row = t;
                    p += sizeof(struct inotify_event) + e->len;
                }
            }
        }
        if (fds[1].revents & POLLIN) {
            waitpid(child, &status, 0);
            exited = now_ms() - start;
        }
    }
    printf("%.2f %.2f %.2f %d\n", first_sample, first_row, exited, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
