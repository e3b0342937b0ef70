/*
 * The reference beside which bench/plugin-startup prints the vmconfig plugin: the least a go-plugin-compatible
 * process does before Velero can talk to it. It checks the magic cookie and the protocol version as go-plugin's
 * server does, binds a TCP port on 127.0.0.1 inside PLUGIN_MIN_PORT..PLUGIN_MAX_PORT, prints the handshake line
 * "1|2|tcp|127.0.0.1:PORT|grpc" and then waits (accepting and closing connections) until it is killed. It serves no
 * gRPC: it measures what a plugin costs before its first RPC (exec to handshake, RSS), nothing after.
 * Test code only (built by bench/plugin-startup with gcc -static), never shipped.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int has_version_2(const char *versions) {
    if (versions == NULL) return 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", versions);
    for (char *save = NULL, *v = strtok_r(buf, ",", &save); v != NULL; v = strtok_r(NULL, ",", &save)) {
        if (strcmp(v, "2") == 0) return 1;
    }
    return 0;
}

int main(void) {
    const char *cookie = getenv("VELERO_PLUGIN");
    if (cookie == NULL || strcmp(cookie, "hello") != 0) {
        fputs("This binary is a plugin. These are not meant to be executed directly.\n", stderr);
        return 1;
    }
    if (!has_version_2(getenv("PLUGIN_PROTOCOL_VERSIONS"))) {
        fputs("no supported protocol version\n", stderr);
        return 1;
    }
    int min = getenv("PLUGIN_MIN_PORT") ? atoi(getenv("PLUGIN_MIN_PORT")) : 10000;
    int max = getenv("PLUGIN_MAX_PORT") ? atoi(getenv("PLUGIN_MAX_PORT")) : 25000;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 1;
    int port = -1;
    for (int p = min; p <= max && port < 0; p++) {
        struct sockaddr_in a;
        memset(&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_port = htons((unsigned short)p);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0) port = p;
    }
    if (port < 0 || listen(fd, 16) != 0) {
        fputs("no free port in range\n", stderr);
        return 1;
    }
    printf("1|2|tcp|127.0.0.1:%d|grpc\n", port);
    fflush(stdout);
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c >= 0) close(c);
    }
}
