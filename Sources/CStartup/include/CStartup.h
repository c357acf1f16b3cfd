#ifndef CSTARTUP_H
#define CSTARTUP_H
// What the provider's main does first, before the gRPC core starts.

/// Readies the OpenSSL the gRPC core links, for a fast and host-independent
/// start: see startup.c. Call first thing in main (a plugin launch has
/// already done it in a constructor; a second call does nothing).
void startup_prepare_openssl(void);

#endif
