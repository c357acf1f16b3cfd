#ifndef CSODIUM_H
#define CSODIUM_H
// libsodium: sealing of private state (AEAD), keyed generic hash for key
// derivation and key ids, secure random bytes, memory wiping.
#include <sodium.h>

#endif
