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
 */
#include <arpa/inet.h>
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

static int client(const char *addr, int port, double seconds) {
    struct sockaddr_storage to;
    socklen_t tl;
    int family = resolve(addr, port, &to, &tl);
    if (family < 0) {
        return 2;
    }
    long flows = 0, lost = 0;
    double start = now(), end = start + seconds;
    char buf[16] = "flowgen";
    while (now() < end) {
        int s = socket(family, SOCK_DGRAM, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&to, tl) < 0 || send(s, buf, 8, 0) < 0) {
            if (s >= 0) close(s);
            lost++;
            continue;
        }
        struct pollfd p = {.fd = s, .events = POLLIN};
        if (poll(&p, 1, 200) == 1 && recv(s, buf, sizeof buf, 0) > 0) {
            flows++;
        } else {
            lost++;
        }
        close(s);
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
    char buf[16] = "flood";
    int s = -1;
    while (now() < end) {
        for (int k = 0; k < 64; k++) {
            if (s >= 0) close(s);
            s = socket(family, SOCK_DGRAM, 0);
            if (s >= 0 && sendto(s, buf, 6, 0, (struct sockaddr *)&to, tl) > 0) {
                sent++;
            }
        }
    }
    if (s >= 0) close(s);
    double took = now() - start;
    printf("sent=%ld rate=%.0f\n", sent, sent / took);
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
    fprintf(stderr, "usage: flowgen server PORT | flowgen client ADDR PORT SECONDS | flowgen flood ADDR PORT SECONDS | flowgen sink PORT\n");
    return 2;
}
