// Sockets, c-ares and OpenSSL for the Turso API transport (see CTransport.h).
//
// Why not libcurl: the provider ships as one static executable that runs on
// any x86_64 Linux, and Debian's static libcurl drags in Kerberos, LDAP and
// more. Everything here comes from archives the gRPC core links already
// (libcares.a, libssl.a, libcrypto.a). Names are resolved with c-ares rather
// than getaddrinfo because a static glibc's getaddrinfo loads NSS modules of
// the build machine's glibc version at run time.
#include "CTransport.h"

#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct ctransport_connection {
    int fd;
    SSL *ssl;  // NULL for plain HTTP
    /// Raw bytes the socket BIO wrote since the last reset (TLS only): tells
    /// whether any of a request reached the kernel even when SSL_write failed.
    size_t raw_written;
};

int64_t ctransport_now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

int ctransport_cancel_create(void) { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

void ctransport_cancel_signal(int fd) {
    uint64_t one = 1;
    ssize_t ignored = write(fd, &one, sizeof one);  // EAGAIN means it is signalled already
    (void)ignored;
}

void ctransport_cancel_close(int fd) {
    if (fd >= 0) close(fd);
}

static void set_message(char *message, size_t size, const char *format, const char *host, unsigned port, const char *detail) {
    if (size == 0) return;
    snprintf(message, size, format, host, port, detail);
}

static void copy_message(char *message, size_t size, const char *text) {
    if (size == 0) return;
    snprintf(message, size, "%s", text);
}

// MARK: Waiting

/// Waits until `fd` is ready for `events`, the cancel fd is signalled, or the deadline passes.
static ctransport_status wait_for(int fd, short events, int cancel_fd, int64_t deadline_ms) {
    for (;;) {
        int64_t left = deadline_ms - ctransport_now_ms();
        if (left <= 0) return CTRANSPORT_TIMEOUT;
        struct pollfd fds[2] = {{.fd = cancel_fd, .events = POLLIN}, {.fd = fd, .events = events}};
        int ready = poll(fds, 2, left > 1000000 ? 1000000 : (int)left);
        if (ready < 0) {
            if (errno == EINTR) continue;
            return CTRANSPORT_OTHER;
        }
        if (fds[0].revents != 0) return CTRANSPORT_CANCELLED;
        if (fds[1].revents != 0) return CTRANSPORT_OK;  // errors and hang-ups surface in the next call
    }
}

static int is_cancelled(int cancel_fd) {
    struct pollfd fd = {.fd = cancel_fd, .events = POLLIN};
    return poll(&fd, 1, 0) > 0;
}

// MARK: Name resolution

enum { MAX_ADDRESSES = 8 };

typedef struct {
    int done;
    int status;
    int count;
    struct sockaddr_storage addresses[MAX_ADDRESSES];
    socklen_t lengths[MAX_ADDRESSES];
} resolution;

static void resolved(void *context, int status, int timeouts, struct ares_addrinfo *result) {
    (void)timeouts;
    resolution *into = context;
    into->done = 1;
    into->status = status;
    if (status == ARES_SUCCESS && result != NULL) {
        for (struct ares_addrinfo_node *node = result->nodes; node != NULL && into->count < MAX_ADDRESSES; node = node->ai_next) {
            if (node->ai_addrlen > sizeof(struct sockaddr_storage)) continue;
            memcpy(&into->addresses[into->count], node->ai_addr, node->ai_addrlen);
            into->lengths[into->count] = node->ai_addrlen;
            into->count++;
        }
    }
    if (result != NULL) ares_freeaddrinfo(result);
}

static pthread_once_t ares_once = PTHREAD_ONCE_INIT;
static int ares_ready;
static void ares_start(void) { ares_ready = ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS; }

/// IP literals and `localhost` need no resolver (and no /etc at all);
/// anything else goes to c-ares (/etc/hosts, then DNS per /etc/resolv.conf).
static ctransport_status resolve(const char *host, uint16_t port, const char *dns_servers, int cancel_fd, int64_t deadline_ms,
                                 resolution *out, char *message, size_t message_size) {
    memset(out, 0, sizeof *out);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&out->addresses[0];
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out->addresses[0];
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        out->lengths[0] = sizeof *v4;
        out->count = 1;
        return CTRANSPORT_OK;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        out->lengths[0] = sizeof *v6;
        out->count = 1;
        return CTRANSPORT_OK;
    }
    if (strcasecmp(host, "localhost") == 0) {  // RFC 6761: always the loopback
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        out->lengths[0] = sizeof *v4;
        out->count = 1;
        return CTRANSPORT_OK;
    }

    pthread_once(&ares_once, ares_start);
    if (!ares_ready) {
        set_message(message, message_size, "cannot resolve %s:%u: %s", host, port, "c-ares failed to initialise");
        return CTRANSPORT_RESOLVE;
    }
    ares_channel channel;
    int initialised = ares_init(&channel);
    if (initialised != ARES_SUCCESS) {
        set_message(message, message_size, "cannot resolve %s:%u: %s", host, port, ares_strerror(initialised));
        return CTRANSPORT_RESOLVE;
    }
    if (dns_servers != NULL) {
        int set = ares_set_servers_ports_csv(channel, dns_servers);
        if (set != ARES_SUCCESS) {
            ares_destroy(channel);
            set_message(message, message_size, "cannot resolve %s:%u: %s", host, port, ares_strerror(set));
            return CTRANSPORT_RESOLVE;
        }
    }
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    struct ares_addrinfo_hints hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    ares_getaddrinfo(channel, host, service, &hints, resolved, out);

    ctransport_status status = CTRANSPORT_OK;
    while (!out->done) {
        ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
        int bits = ares_getsock(channel, sockets, ARES_GETSOCK_MAXNUM);
        struct pollfd fds[ARES_GETSOCK_MAXNUM + 1];
        nfds_t count = 0;
        fds[count++] = (struct pollfd){.fd = cancel_fd, .events = POLLIN};
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
            short events = 0;
            if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
            if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
            if (events != 0) fds[count++] = (struct pollfd){.fd = sockets[i], .events = events};
        }
        int64_t left = deadline_ms - ctransport_now_ms();
        if (left <= 0) {
            status = CTRANSPORT_TIMEOUT;
            break;
        }
        struct timeval limit = {.tv_sec = left / 1000, .tv_usec = (left % 1000) * 1000}, next;
        struct timeval *wait = ares_timeout(channel, &limit, &next);
        int timeout_ms = (int)(wait->tv_sec * 1000 + (wait->tv_usec + 999) / 1000);
        int ready = poll(fds, count, timeout_ms);
        if (ready < 0 && errno != EINTR) {
            status = CTRANSPORT_OTHER;
            break;
        }
        if (ready > 0 && fds[0].revents != 0) {
            status = CTRANSPORT_CANCELLED;
            break;
        }
        if (ready <= 0) {
            ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts and retries
            continue;
        }
        for (nfds_t i = 1; i < count; i++) {
            if (fds[i].revents == 0) continue;
            ares_socket_t readable = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) ? fds[i].fd : ARES_SOCKET_BAD;
            ares_socket_t writable = (fds[i].revents & POLLOUT) ? fds[i].fd : ARES_SOCKET_BAD;
            ares_process_fd(channel, readable, writable);
        }
    }
    ares_destroy(channel);  // ends an unfinished query (its callback runs now, with ARES_EDESTRUCTION)
    if (status != CTRANSPORT_OK) {
        if (status == CTRANSPORT_TIMEOUT) set_message(message, message_size, "cannot resolve %s:%u: %s", host, port, "timed out");
        return status;
    }
    if (out->status != ARES_SUCCESS || out->count == 0) {
        const char *why = out->status != ARES_SUCCESS ? ares_strerror(out->status) : "no address";
        set_message(message, message_size, "cannot resolve %s:%u: %s", host, port, why);
        return CTRANSPORT_RESOLVE;
    }
    return CTRANSPORT_OK;
}

// MARK: TLS

static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static SSL_CTX *tls_context;
static const char *tls_bundle;           // where the CAs came from
static char tls_problem[256] = "";       // why there is no context

static int readable_file(const char *path) { return path != NULL && path[0] != '\0' && access(path, R_OK) == 0; }

/// The process-wide client context. The CA bundle is looked up the way
/// OpenSSL and Go do on Linux, but at run time rather than at OpenSSL's
/// build-time directory, which differs between distributions.
static void tls_start(void) {
    static const char *const bundles[] = {
        "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Alpine, Arch
        "/etc/pki/tls/certs/ca-bundle.crt",                   // Fedora, RHEL, CentOS
        "/etc/ssl/ca-bundle.pem",                             // openSUSE
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL 7+
        "/etc/ssl/cert.pem",                                  // Alpine, macOS
    };
    const char *bundle = NULL;
    const char *configured = getenv("SSL_CERT_FILE");
    if (configured != NULL && configured[0] != '\0') {
        bundle = configured;  // an explicit choice: no fallback if it is unreadable
    } else {
        for (size_t i = 0; i < sizeof bundles / sizeof bundles[0] && bundle == NULL; i++) {
            if (readable_file(bundles[i])) bundle = bundles[i];
        }
    }
    const char *directory = getenv("SSL_CERT_DIR");
    if (directory != NULL && directory[0] == '\0') directory = NULL;
    if (bundle == NULL && directory == NULL) {
        snprintf(tls_problem, sizeof tls_problem,
                 "no CA bundle found (looked for /etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, "
                 "/etc/ssl/cert.pem; set SSL_CERT_FILE)");
        return;
    }
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (context == NULL) {
        snprintf(tls_problem, sizeof tls_problem, "cannot create a TLS context");
        return;
    }
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, NULL);
    ERR_clear_error();
    if (SSL_CTX_load_verify_locations(context, bundle, directory) != 1) {
        snprintf(tls_problem, sizeof tls_problem, "cannot load the CA bundle %s", bundle != NULL ? bundle : directory);
        ERR_clear_error();
        SSL_CTX_free(context);
        return;
    }
    tls_bundle = bundle != NULL ? bundle : directory;
    tls_context = context;
}

const char *ctransport_ca_bundle(void) {
    pthread_once(&tls_once, tls_start);
    return tls_bundle;
}

/// Counts what the socket BIO writes, so a failed SSL_write still tells
/// whether bytes went out.
static long count_writes(BIO *bio, int operation, const char *data, size_t length, int argi, long argl, int result,
                         size_t *processed) {
    (void)data, (void)length, (void)argi, (void)argl;
    if (operation == (BIO_CB_WRITE | BIO_CB_RETURN) && result > 0 && processed != NULL) {
        ctransport_connection *connection = (ctransport_connection *)BIO_get_callback_arg(bio);
        if (connection != NULL) connection->raw_written += *processed;
    }
    return result;
}

/// SIGPIPE blocked around OpenSSL's socket writes (which use write(), not
/// send(MSG_NOSIGNAL)), and a SIGPIPE they raised discarded.
typedef struct {
    sigset_t previous;
    int was_pending;
} sigpipe_guard;

static void sigpipe_block(sigpipe_guard *guard) {
    sigset_t pipe_only, pending;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    sigpending(&pending);
    guard->was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &guard->previous);
}

static void sigpipe_restore(sigpipe_guard *guard) {
    sigset_t pipe_only, pending;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    if (!guard->was_pending && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&pipe_only, NULL, &zero) < 0 && errno == EINTR) {}
    }
    pthread_sigmask(SIG_SETMASK, &guard->previous, NULL);
}

/// The last queued OpenSSL error, or `fallback`. The provider binary does not
/// load OpenSSL's error texts (CStartup: they cost about 0.4 ms of every
/// start), so there the code comes with how to read it.
static const char *tls_reason(char *buffer, size_t size, const char *fallback) {
    unsigned long code = ERR_peek_last_error();
    if (code == 0) return fallback;
    if (ERR_reason_error_string(code) != NULL) {
        ERR_error_string_n(code, buffer, size);
    } else {
        snprintf(buffer, size, "OpenSSL error %08lX (`openssl errstr %08lX` explains it)", code, code);
    }
    return buffer;
}

/// Runs one TLS operation until it completes, fails or has to wait too long.
/// Returns CTRANSPORT_OK with `*result` > 0 on success.
typedef int (*tls_step)(SSL *ssl, void *buffer, int count);

static int step_connect(SSL *ssl, void *buffer, int count) { (void)buffer, (void)count; return SSL_connect(ssl); }
static int step_read(SSL *ssl, void *buffer, int count) { return SSL_read(ssl, buffer, count); }
static int step_write(SSL *ssl, void *buffer, int count) { return SSL_write(ssl, buffer, count); }

static ctransport_status tls_run(ctransport_connection *connection, tls_step step, void *buffer, int count, int cancel_fd,
                                 int64_t deadline_ms, int *result, int *ssl_error) {
    for (;;) {
        if (is_cancelled(cancel_fd)) return CTRANSPORT_CANCELLED;
        ERR_clear_error();
        sigpipe_guard guard;
        sigpipe_block(&guard);
        int done = step(connection->ssl, buffer, count);
        int error = done > 0 ? SSL_ERROR_NONE : SSL_get_error(connection->ssl, done);
        sigpipe_restore(&guard);
        *result = done;
        *ssl_error = error;
        short events;
        switch (error) {
        case SSL_ERROR_NONE: return CTRANSPORT_OK;
        case SSL_ERROR_WANT_READ: events = POLLIN; break;
        case SSL_ERROR_WANT_WRITE: events = POLLOUT; break;
        case SSL_ERROR_ZERO_RETURN: return CTRANSPORT_OK;  // clean close_notify
        case SSL_ERROR_SYSCALL: return CTRANSPORT_CLOSED;
        default: return CTRANSPORT_TLS;
        }
        ctransport_status waited = wait_for(connection->fd, events, cancel_fd, deadline_ms);
        if (waited != CTRANSPORT_OK) return waited;
    }
}

/// A context trusting only the CAs in `ca_file`; NULL when it cannot be loaded.
static SSL_CTX *tls_context_for(const char *ca_file) {
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (context == NULL) return NULL;
    SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, NULL);
    if (SSL_CTX_load_verify_locations(context, ca_file, NULL) != 1) {
        ERR_clear_error();
        SSL_CTX_free(context);
        return NULL;
    }
    return context;
}

static ctransport_status tls_handshake(ctransport_connection *connection, const char *host, uint16_t port, int is_address,
                                       const char *ca_file, int cancel_fd, int64_t deadline_ms, char *message,
                                       size_t message_size) {
    SSL *ssl;
    if (ca_file != NULL) {
        SSL_CTX *context = tls_context_for(ca_file);
        if (context == NULL) {
            set_message(message, message_size, "TLS to %s:%u: cannot load the CA bundle %s", host, port, ca_file);
            return CTRANSPORT_TLS;
        }
        ssl = SSL_new(context);
        SSL_CTX_free(context);  // the connection holds its own reference
    } else {
        pthread_once(&tls_once, tls_start);
        if (tls_context == NULL) {
            set_message(message, message_size, "TLS to %s:%u: %s", host, port, tls_problem);
            return CTRANSPORT_TLS;
        }
        ssl = SSL_new(tls_context);
    }
    if (ssl == NULL) {
        set_message(message, message_size, "TLS to %s:%u: %s", host, port, "SSL_new failed");
        return CTRANSPORT_OTHER;
    }
    connection->ssl = ssl;  // freed with the connection from here on
    int configured = SSL_set_fd(ssl, connection->fd) == 1;
    if (is_address) {
        configured = configured && X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1;
    } else {
        configured = configured && SSL_set_tlsext_host_name(ssl, host) == 1 && SSL_set1_host(ssl, host) == 1;
    }
    BIO *bio = SSL_get_wbio(ssl);
    if (!configured || bio == NULL) {
        set_message(message, message_size, "TLS to %s:%u: %s", host, port, "cannot configure the TLS connection");
        return CTRANSPORT_TLS;
    }
    BIO_set_callback_ex(bio, count_writes);
    BIO_set_callback_arg(bio, (char *)connection);

    int result = 0, ssl_error = 0;
    ctransport_status status = tls_run(connection, step_connect, NULL, 0, cancel_fd, deadline_ms, &result, &ssl_error);
    if (status == CTRANSPORT_OK && result <= 0) status = CTRANSPORT_CLOSED;  // close_notify during the handshake
    if (status == CTRANSPORT_OK) return CTRANSPORT_OK;
    char reason[256];
    long verified = SSL_get_verify_result(ssl);
    if (verified != X509_V_OK) {
        set_message(message, message_size, "TLS to %s:%u: certificate verification failed: %s", host, port,
                    X509_verify_cert_error_string(verified));
        return CTRANSPORT_TLS;
    }
    if (status == CTRANSPORT_CLOSED || status == CTRANSPORT_TLS) {
        set_message(message, message_size, "TLS handshake with %s:%u failed: %s", host, port,
                    tls_reason(reason, sizeof reason, "the connection closed"));
        return CTRANSPORT_TLS;
    }
    if (status == CTRANSPORT_TIMEOUT) set_message(message, message_size, "TLS handshake with %s:%u: %s", host, port, "timed out");
    return status;
}

// MARK: Connections

static ctransport_status connect_one(const struct sockaddr *address, socklen_t length, int cancel_fd, int64_t deadline_ms,
                                     int *socket_out, int *error_out) {
    int fd = socket(address->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        *error_out = errno;
        return CTRANSPORT_CONNECT;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // requests are written whole; no Nagle delay
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    if (connect(fd, address, length) != 0) {
        if (errno != EINPROGRESS) {
            *error_out = errno;
            close(fd);
            return CTRANSPORT_CONNECT;
        }
        ctransport_status waited = wait_for(fd, POLLOUT, cancel_fd, deadline_ms);
        if (waited != CTRANSPORT_OK) {
            close(fd);
            return waited;
        }
        int error = 0;
        socklen_t size = sizeof error;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) error = errno;
        if (error != 0) {
            *error_out = error;
            close(fd);
            return CTRANSPORT_CONNECT;
        }
    }
    *socket_out = fd;
    return CTRANSPORT_OK;
}

ctransport_status ctransport_connect(const char *host, uint16_t port, int tls, const char *dns_servers, const char *ca_file, int cancel_fd,
                                     int64_t deadline_ms, ctransport_connection **connection, char *message,
                                     size_t message_size) {
    *connection = NULL;
    if (message_size > 0) message[0] = '\0';
    resolution addresses;
    ctransport_status status = resolve(host, port, dns_servers, cancel_fd, deadline_ms, &addresses, message, message_size);
    if (status != CTRANSPORT_OK) return status;

    int fd = -1, error = 0;
    for (int i = 0; i < addresses.count; i++) {
        // Each address but the last gets a share of the time left, so an
        // unreachable IPv6 address does not use it all before IPv4 is tried.
        int64_t now = ctransport_now_ms();
        int64_t attempt_deadline = i + 1 < addresses.count ? now + (deadline_ms - now) / (addresses.count - i) : deadline_ms;
        status = connect_one((const struct sockaddr *)&addresses.addresses[i], addresses.lengths[i], cancel_fd, attempt_deadline, &fd, &error);
        if (status == CTRANSPORT_TIMEOUT && i + 1 < addresses.count) {
            error = ETIMEDOUT;
            status = CTRANSPORT_CONNECT;
            continue;
        }
        if (status == CTRANSPORT_OK || status == CTRANSPORT_CANCELLED || status == CTRANSPORT_TIMEOUT) break;
    }
    if (status != CTRANSPORT_OK) {
        if (status == CTRANSPORT_TIMEOUT) set_message(message, message_size, "cannot connect to %s:%u: %s", host, port, "timed out");
        if (status == CTRANSPORT_CONNECT) set_message(message, message_size, "cannot connect to %s:%u: %s", host, port, strerror(error));
        return status;
    }
    ctransport_connection *made = calloc(1, sizeof *made);
    if (made == NULL) {
        close(fd);
        set_message(message, message_size, "connecting to %s:%u: %s", host, port, "out of memory");
        return CTRANSPORT_OTHER;
    }
    made->fd = fd;
    if (tls) {
        status = ctransport_start_tls(made, host, port, ca_file, cancel_fd, deadline_ms, message, message_size);
        if (status != CTRANSPORT_OK) {
            ctransport_close(made);
            return status;
        }
    }
    *connection = made;
    return CTRANSPORT_OK;
}

ctransport_status ctransport_start_tls(ctransport_connection *connection, const char *host, uint16_t port, const char *ca_file,
                                       int cancel_fd, int64_t deadline_ms, char *message, size_t message_size) {
    if (message_size > 0) message[0] = '\0';
    if (connection->ssl != NULL) {
        set_message(message, message_size, "TLS to %s:%u: %s", host, port, "the connection already uses TLS");
        return CTRANSPORT_OTHER;
    }
    struct in6_addr ignored;
    int is_address = inet_pton(AF_INET, host, &ignored) == 1 || inet_pton(AF_INET6, host, &ignored) == 1;
    return tls_handshake(connection, host, port, is_address, ca_file, cancel_fd, deadline_ms, message, message_size);
}

ctransport_status ctransport_write(ctransport_connection *connection, const uint8_t *data, size_t count, int cancel_fd,
                                   int64_t deadline_ms, size_t *written, char *message, size_t message_size) {
    *written = 0;
    if (message_size > 0) message[0] = '\0';
    if (connection->ssl != NULL) {
        size_t done = 0;
        ctransport_status status = CTRANSPORT_OK;
        while (done < count && status == CTRANSPORT_OK) {
            connection->raw_written = 0;
            size_t chunk = count - done > (1u << 30) ? (1u << 30) : count - done;
            int result = 0, ssl_error = 0;
            status = tls_run(connection, step_write, (void *)(data + done), (int)chunk, cancel_fd, deadline_ms, &result, &ssl_error);
            if (status == CTRANSPORT_OK && result <= 0) status = CTRANSPORT_CLOSED;
            if (status == CTRANSPORT_OK) {
                done += (size_t)result;
            } else if (connection->raw_written > 0 && done == 0) {
                done = 1;  // part of a record went out: the peer may have some of the request
            }
        }
        *written = done > count ? count : done;
        if (status == CTRANSPORT_TLS) {
            char reason[256];
            copy_message(message, message_size, tls_reason(reason, sizeof reason, "TLS write failed"));
        }
        return status;
    }
    while (*written < count) {
        if (is_cancelled(cancel_fd)) return CTRANSPORT_CANCELLED;
        ssize_t sent = send(connection->fd, data + *written, count - *written, MSG_NOSIGNAL);
        if (sent > 0) {
            *written += (size_t)sent;
            continue;
        }
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            ctransport_status waited = wait_for(connection->fd, POLLOUT, cancel_fd, deadline_ms);
            if (waited != CTRANSPORT_OK) return waited;
            continue;
        }
        copy_message(message, message_size, sent < 0 ? strerror(errno) : "the connection closed");
        return CTRANSPORT_CLOSED;
    }
    return CTRANSPORT_OK;
}

ctransport_status ctransport_read(ctransport_connection *connection, uint8_t *buffer, size_t capacity, int cancel_fd,
                                  int64_t deadline_ms, size_t *received, char *message, size_t message_size) {
    *received = 0;
    if (message_size > 0) message[0] = '\0';
    if (capacity > (1u << 30)) capacity = 1u << 30;
    if (connection->ssl != NULL) {
        int result = 0, ssl_error = 0;
        ctransport_status status = tls_run(connection, step_read, buffer, (int)capacity, cancel_fd, deadline_ms, &result, &ssl_error);
        if (status == CTRANSPORT_OK) {
            *received = result > 0 ? (size_t)result : 0;
        } else if (status == CTRANSPORT_CLOSED || status == CTRANSPORT_TLS) {
            char reason[256];
            copy_message(message, message_size, tls_reason(reason, sizeof reason, "the connection closed"));
        }
        return status;
    }
    for (;;) {
        if (is_cancelled(cancel_fd)) return CTRANSPORT_CANCELLED;
        ssize_t got = recv(connection->fd, buffer, capacity, 0);
        if (got >= 0) {
            *received = (size_t)got;
            return CTRANSPORT_OK;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            ctransport_status waited = wait_for(connection->fd, POLLIN, cancel_fd, deadline_ms);
            if (waited != CTRANSPORT_OK) return waited;
            continue;
        }
        copy_message(message, message_size, strerror(errno));
        return CTRANSPORT_CLOSED;
    }
}

int ctransport_idle_usable(ctransport_connection *connection) {
    struct pollfd fd = {.fd = connection->fd, .events = POLLIN};
    int ready = poll(&fd, 1, 0);
    if (ready == 0) return 1;
    if (ready < 0 || connection->ssl == NULL || (fd.revents & (POLLERR | POLLHUP | POLLNVAL))) return 0;
    // TLS 1.3 session tickets may arrive after the answer: they are fine,
    // application data or a close are not.
    uint8_t byte;
    ERR_clear_error();
    sigpipe_guard guard;
    sigpipe_block(&guard);
    int peeked = SSL_peek(connection->ssl, &byte, 1);
    int error = peeked > 0 ? SSL_ERROR_NONE : SSL_get_error(connection->ssl, peeked);
    sigpipe_restore(&guard);
    ERR_clear_error();
    return peeked <= 0 && error == SSL_ERROR_WANT_READ;
}

void ctransport_close(ctransport_connection *connection) {
    if (connection == NULL) return;
    // No close_notify: the connection is dropped, not handed over, and a
    // blocking shutdown could stall on a dead peer.
    if (connection->ssl != NULL) SSL_free(connection->ssl);
    close(connection->fd);
    free(connection);
}
