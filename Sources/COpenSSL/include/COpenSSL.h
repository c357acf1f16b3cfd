#ifndef COPENSSL_H
#define COPENSSL_H
// OpenSSL's libcrypto, used to make the plugin's ephemeral TLS certificate.
// It is the copy the gRPC core already links (statically), so it adds no
// start-up cost.
#include <string.h>  // strstr, used by the EVP_EC_gen macro
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>

// C macros do not import into Swift; these are their function forms.

/// A fresh EC key pair on the named curve ("P-256", "P-521"); NULL on failure.
/// EVP_EC_gen is a macro over a variadic function, which Swift cannot call.
static inline EVP_PKEY *copenssl_ec_key_generate(const char *curve) { return EVP_EC_gen(curve); }

/// The bytes held by a memory BIO (not NUL-terminated); returns their count.
static inline long copenssl_bio_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

#endif
