// Start-up work on OpenSSL, done before grpc_init.
//
// 1. No openssl.cnf unless OPENSSL_CONF names one. The binary is static: the
//    configuration file it would find belongs to whatever distribution it
//    runs on (RHEL's pulls in crypto-policies and may name provider modules
//    this OpenSSL cannot load), and parsing Debian's costs 0.1-0.4 ms of
//    every start. OpenSSL decides this once per process, on its first
//    initialisation, so it has to come before gRPC's.
//    Nor OpenSSL's error texts: loading them into their hash table costs
//    about a million instructions (0.4 ms) at every start, for messages
//    seen only when something fails; error codes stay (`openssl errstr`
//    decodes them). Also decided once, on the first initialisation.
// 2. A throwaway TLS context built on a second thread, on another CPU, while
//    the main thread goes on setting up: SSL_CTX_new fetches every cipher
//    and digest from the default provider (about 1.2 ms), and OpenSSL
//    caches what it fetched, so the server context gRPC builds for AutoMTLS
//    finds them ready.
//    Only when AutoMTLS is asked for (PLUGIN_CLIENT_CERT). No atexit
//    clean-up in OpenSSL, so a process that ends early never frees what the
//    thread is still using (the kernel frees it all at exit anyway).
// 3. When the process is launched as a plugin with AutoMTLS, both happen in
//    a constructor, before the C++ and Swift runtimes' static initializers
//    (about 0.7 ms of them) instead of after: the second thread then has
//    its fetching done by the time gRPC builds its context. The main thread
//    must reach gRPC's TLS set-up after the fetching is done, not during it:
//    OpenSSL 3.0 does not share a fetch in progress, so a second thread
//    fetching at the same time does the same work again, under the same
//    locks (tried: a main thread that waited for the warm-up, or warmed the
//    key decoders meanwhile, printed its handshake line 2-3 ms later).
//    Warming the decoders on this thread or a third one did not help either.
#define _GNU_SOURCE  // sched_getcpu, CPU_* and pthread_attr_setaffinity_np
#include "CStartup.h"

#include <sched.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static void *warm_up(void *unused) {
    (void)unused;
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    SSL_CTX_free(context);
    return NULL;
}

static int prepared;

void startup_prepare_openssl(void) {
    // Once: from the constructor below or from main, whichever comes first
    // (both on the main thread, so no lock).
    if (prepared) return;
    prepared = 1;
    const char *configured = getenv("OPENSSL_CONF");
    uint64_t options = OPENSSL_INIT_NO_LOAD_SSL_STRINGS | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_NO_ATEXIT;
    if (configured == NULL || configured[0] == '\0') options |= OPENSSL_INIT_NO_LOAD_CONFIG;
    OPENSSL_init_ssl(options, NULL);

    const char *client_certificate = getenv("PLUGIN_CLIENT_CERT");
    if (client_certificate == NULL || client_certificate[0] == '\0') return;

    // The warm-up only pays on another CPU than the main thread's: on the
    // same one it takes the main thread's time (the scheduler lets a new
    // thread run first), and the main thread then does the same fetching
    // anyway. So it is kept off the CPU the main thread is on, and not
    // started at all when the process may use only one.
    cpu_set_t allowed;
    int here = sched_getcpu();
    if (here < 0 || sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
    CPU_CLR(here, &allowed);
    if (CPU_COUNT(&allowed) == 0) return;

    pthread_t thread;
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setaffinity_np(&attributes, sizeof allowed, &allowed);
    pthread_create(&thread, &attributes, warm_up, NULL);  // no thread: gRPC just fetches them itself
    pthread_attr_destroy(&attributes);
}

// Early start for a plugin launch (see 3 above). Only for a launch by a
// plugin host (its magic cookie set): a person running `--version` or
// `unseal`, or a test process linking this module, gets OpenSSL as main
// prepares it. Priority 102: right after startup_without_proc.
__attribute__((constructor(102))) static void startup_plugin_launch(void) {
    const char *cookie = getenv("TF_PLUGIN_MAGIC_COOKIE");
    if (cookie == NULL || cookie[0] == '\0') return;
    startup_prepare_openssl();
}

// The Swift runtime's crash backtracer, set up by a static initializer, looks
// for its helper program next to the runtime, which in a static executable
// it finds through /proc/self/exe; without /proc (an empty chroot, some
// sandboxes) it aborts the process before main. Where /proc is missing, and
// only when the user has not configured it, the backtracer is turned off and
// given a helper path, which skips that search. Priority 101: before the
// runtime's initializers, which have none.
__attribute__((constructor(101))) static void startup_without_proc(void) {
    if (getenv("SWIFT_BACKTRACE") != NULL) return;
    if (access("/proc/self/exe", F_OK) == 0) return;
    setenv("SWIFT_BACKTRACE", "enable=no,swift-backtrace=/dev/null", 0);
}
