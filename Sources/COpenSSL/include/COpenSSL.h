#ifndef COPENSSL_H
#define COPENSSL_H
// OpenSSL's libcrypto, used to make the plugin's ephemeral TLS certificate.
// It is the copy the gRPC core already links (statically), so it adds no
// start-up cost.
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#endif
