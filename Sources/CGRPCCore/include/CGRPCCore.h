#ifndef CGRPCCORE_H
#define CGRPCCORE_H
// The gRPC C core, as Swift sees it. grpc's headers define _GNU_SOURCE, which
// changes how glibc declares fd_set; including these first keeps Glibc and
// this module agreeing on the type (see PROTOCOL-NOTES.md).
#include <stdlib.h>
#include <sys/select.h>
#include <pthread.h>

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>

// C macros do not import into Swift; these are their function forms.
static inline uint8_t *cgrpc_slice_start_ptr(grpc_slice slice) { return GRPC_SLICE_START_PTR(slice); }
static inline size_t cgrpc_slice_length(grpc_slice slice) { return GRPC_SLICE_LENGTH(slice); }

#endif
