/*
 * flowgen: measures new flows per second through a firewall. The server echoes UDP datagrams;
 * the client opens a new UDP socket (so a new source port, a new conntrack entry) for every
 * request, sends one datagram, waits for the echo, and counts completed request/replies.
 *
 *   flowgen server PORT
 *   flowgen client ADDR PORT SECONDS   -> prints "flows=N seconds=S rate=R lost=L"
 *   flowgen flood ADDR PORT SECONDS    -> sends datagrams from fresh source ports as fast as it
 *                                         can; prints "sent=N rate=R". One sender on one CPU
 *                                         and no replies: the rate is bound by the CPU cost of a
 *                                         new flow, the firewall's part in it included
 *   flowgen sink PORT                  -> binds PORT and never reads (the kernel drops what
 *                                         overflows the socket), a cheap end for a flood
 *   flowgen rounds ROUNDS SLICE_MS flows|flood NETNS:ADDR:PORT...
 *                                      -> the request/reply (flows) or the flood against several
 *                                         targets in turn, each reached from its own network
 *                                         namespace (a client VM's); one line per round with each
 *                                         target's rate in the order given. A round gives each
 *                                         target SLICE_MS, starting one target further each round,
 *                                         so what drifts slower than a round hits all alike
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int resolve(const char *addr, int port, struct sockaddr_storage *ss, socklen_t *len) {
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        *len = sizeof *v4;
        return AF_INET;
    }
    if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        *len = sizeof *v6;
        return AF_INET6;
    }
    fprintf(stderr, "flowgen: bad address %s (expected an IPv4 or IPv6 address)\n", addr);
    return -1;
}

/* A UDP socket bound to PORT on every IPv4 and IPv6 address, or -1. */
static int bound(int port) {
    int s = socket(AF_INET6, SOCK_DGRAM, 0);
    int off = 0;
    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port), .sin6_addr = in6addr_any};
    if (bind(s, (struct sockaddr *)&a, sizeof a) < 0) {
        perror("bind");
        return -1;
    }
    return s;
}

static int server(int port) {
    int s = bound(port);
    if (s < 0) {
        return 1;
    }
    char buf[64];
    for (;;) {
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n > 0) {
            sendto(s, buf, n, 0, (struct sockaddr *)&from, fl);
        }
    }
}

/* One request/reply on a new socket; 1 when the echo came back. */
static int one_flow(int family, const struct sockaddr_storage *to, socklen_t tl) {
    char buf[16] = "flowgen";
    int s = socket(family, SOCK_DGRAM, 0);
    if (s < 0 || connect(s, (const struct sockaddr *)to, tl) < 0 || send(s, buf, 8, 0) < 0) {
        if (s >= 0) close(s);
        return 0;
    }
    struct pollfd p = {.fd = s, .events = POLLIN};
    int ok = poll(&p, 1, 200) == 1 && recv(s, buf, sizeof buf, 0) > 0;
    close(s);
    return ok;
}

/* One datagram from a new socket (a new source port); 1 when it was sent. */
static int one_datagram(int family, const struct sockaddr_storage *to, socklen_t tl) {
    char buf[16] = "flood";
    int s = socket(family, SOCK_DGRAM, 0);
    int ok = s >= 0 && sendto(s, buf, 6, 0, (const struct sockaddr *)to, tl) > 0;
    if (s >= 0) close(s);
    return ok;
}

static int client(const char *addr, int port, double seconds) {
    struct sockaddr_storage to;
    socklen_t tl;
    int family = resolve(addr, port, &to, &tl);
    if (family < 0) {
        return 2;
    }
    long flows = 0, lost = 0;
    double start = now(), end = start + seconds;
    while (now() < end) {
        if (one_flow(family, &to, tl)) {
            flows++;
        } else {
            lost++;
        }
    }
    double took = now() - start;
    printf("flows=%ld seconds=%.2f rate=%.0f lost=%ld\n", flows, took, flows / took, lost);
    return 0;
}

/* A flood of datagrams, each from a new source port, so each is a new flow. */
static int flood(const char *addr, int port, double seconds) {
    struct sockaddr_storage to;
    socklen_t tl;
    int family = resolve(addr, port, &to, &tl);
    if (family < 0) {
        return 2;
    }
    long sent = 0;
    double start = now(), end = start + seconds;
    while (now() < end) {
        for (int k = 0; k < 64; k++) {
            sent += one_datagram(family, &to, tl);
        }
    }
    double took = now() - start;
    printf("sent=%ld rate=%.0f\n", sent, sent / took);
    return 0;
}

static int rounds(int n_rounds, double slice, int flood_mode, int n, char **targets) {
    struct target { int ns, family; struct sockaddr_storage to; socklen_t tl; } *t = calloc(n, sizeof *t);
    for (int i = 0; i < n; i++) {
        char ns[128], addr[64], path[192];
        int port;
        if (sscanf(targets[i], "%127[^:]:%63[^:]:%d", ns, addr, &port) != 3) {
            fprintf(stderr, "flowgen: bad target %s (expected NETNS:ADDR:PORT, an IPv4 address)\n", targets[i]);
            return 2;
        }
        snprintf(path, sizeof path, "/var/run/netns/%s", ns);
        if ((t[i].ns = open(path, O_RDONLY)) < 0) {
            perror(path);
            return 1;
        }
        if ((t[i].family = resolve(addr, port, &t[i].to, &t[i].tl)) < 0) {
            return 2;
        }
    }
    double *rate = calloc(n, sizeof *rate);
    for (int r = 0; r < n_rounds; r++) {
        for (int k = 0; k < n; k++) {
            int i = (k + r) % n;
            if (setns(t[i].ns, CLONE_NEWNET) < 0) {
                perror("setns");
                return 1;
            }
            long done = 0;
            double start = now(), end = start + slice;
            while (now() < end) {
                if (flood_mode) {
                    for (int j = 0; j < 16; j++) {
                        done += one_datagram(t[i].family, &t[i].to, t[i].tl);
                    }
                } else {
                    done += one_flow(t[i].family, &t[i].to, t[i].tl);
                }
            }
            rate[i] = done / (now() - start);
        }
        for (int i = 0; i < n; i++) {
            printf(i ? " %.0f" : "%.0f", rate[i]);
        }
        printf("\n");
        fflush(stdout);
    }
    return 0;
}

static int sink(int port) {
    if (bound(port) < 0) {
        return 1;
    }
    for (;;) {
        pause();
    }
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "server") == 0) {
        return server(atoi(argv[2]));
    }
    if (argc == 5 && strcmp(argv[1], "client") == 0) {
        return client(argv[2], atoi(argv[3]), atof(argv[4]));
    }
    if (argc == 3 && strcmp(argv[1], "sink") == 0) {
        return sink(atoi(argv[2]));
    }
    if (argc == 5 && strcmp(argv[1], "flood") == 0) {
        return flood(argv[2], atoi(argv[3]), atof(argv[4]));
    }
    if (argc >= 6 && strcmp(argv[1], "rounds") == 0 && (strcmp(argv[4], "flows") == 0 || strcmp(argv[4], "flood") == 0)) {
        return rounds(atoi(argv[2]), atof(argv[3]) / 1000, strcmp(argv[4], "flood") == 0, argc - 5, argv + 5);
    }
    fprintf(stderr, "usage: flowgen server PORT | flowgen client ADDR PORT SECONDS | flowgen flood ADDR PORT SECONDS | flowgen sink PORT"
            " | flowgen rounds ROUNDS SLICE_MS flows|flood NETNS:ADDR:PORT...\n");
    return 2;
}
