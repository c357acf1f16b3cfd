#ifndef CTRANSPORT_H
#define CTRANSPORT_H
// One client connection of the Turso API transport: name resolution
// (c-ares, so a static binary needs no NSS modules), TCP, and TLS through
// the OpenSSL the gRPC core already links. HTTP itself is Swift's
// (HTTPConnection.swift); this module only moves bytes.
//
// Every call that may wait takes a cancel fd (from ctransport_cancel_create)
// and an absolute deadline on CLOCK_MONOTONIC in milliseconds: it returns
// CTRANSPORT_CANCELLED as soon as the fd is signalled, and
// CTRANSPORT_TIMEOUT at the deadline. A connection is used by one thread at
// a time. Messages written into `message` name hosts and ports, never data.
#include <stddef.h>
#include <stdint.h>

typedef enum {
    CTRANSPORT_OK = 0,
    CTRANSPORT_RESOLVE,
    CTRANSPORT_CONNECT,
    CTRANSPORT_TLS,
    CTRANSPORT_TIMEOUT,
    /// The peer closed or reset the connection.
    CTRANSPORT_CLOSED,
    CTRANSPORT_CANCELLED,
    CTRANSPORT_OTHER,
} ctransport_status;

typedef struct ctransport_connection ctransport_connection;

/// Now, on CLOCK_MONOTONIC, in milliseconds.
int64_t ctransport_now_ms(void);

/// An eventfd that cancels the waits it is passed to once signalled; -1 on failure.
int ctransport_cancel_create(void);
/// Safe from any thread, any number of times.
void ctransport_cancel_signal(int fd);
void ctransport_cancel_close(int fd);

/// Resolves `host` (a name, an IPv4 literal or an IPv6 literal without
/// brackets), connects to the first address that answers and, when `tls`
/// is non-zero, completes a TLS handshake that verifies the server's
/// certificate chain against the CA bundle (SSL_CERT_FILE, else the usual
/// system paths) and its name or IP against `host`, sending SNI for names.
/// On success stores a new connection (owned by the caller, freed with
/// ctransport_close) in `*connection`. `dns_servers` is NULL for the system's
/// (/etc/resolv.conf), or c-ares' "host:port,..." list; `ca_file` is NULL for
/// the bundle found as above, or a PEM file of the CAs to trust (tests use
/// their own of both).
ctransport_status ctransport_connect(const char *host, uint16_t port, int tls, const char *dns_servers, const char *ca_file, int cancel_fd,
                                     int64_t deadline_ms, ctransport_connection **connection, char *message,
                                     size_t message_size);

/// Starts TLS on a plain connection (one tunnelled through an HTTP proxy's
/// CONNECT), verifying as ctransport_connect does for `host`. On failure the
/// connection is unusable; the caller closes it.
ctransport_status ctransport_start_tls(ctransport_connection *connection, const char *host, uint16_t port, const char *ca_file,
                                       int cancel_fd, int64_t deadline_ms, char *message, size_t message_size);

/// Writes all of `data`. `*written` counts the bytes handed to the kernel
/// (for TLS: the plaintext bytes of completed records), also on failure, so
/// the caller knows whether any of a request went out.
ctransport_status ctransport_write(ctransport_connection *connection, const uint8_t *data, size_t count, int cancel_fd,
                                   int64_t deadline_ms, size_t *written, char *message, size_t message_size);

/// Reads at most `capacity` bytes, waiting for at least one. `*received` is
/// 0 with CTRANSPORT_OK when the peer closed the connection cleanly.
ctransport_status ctransport_read(ctransport_connection *connection, uint8_t *buffer, size_t capacity, int cancel_fd,
                                  int64_t deadline_ms, size_t *received, char *message, size_t message_size);

/// Non-zero when an idle connection may carry another request: the peer has
/// neither closed it nor sent anything unasked.
int ctransport_idle_usable(ctransport_connection *connection);

/// Closes the socket and frees the connection (NULL is allowed).
void ctransport_close(ctransport_connection *connection);

/// Where the CA bundle was loaded from, or NULL when none could be (TLS
/// connections then fail). Loads it on first call.
const char *ctransport_ca_bundle(void);

#endif
