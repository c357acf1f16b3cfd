#ifndef CGRPCCORE_H
#define CGRPCCORE_H
// The gRPC C core, as Swift sees it. grpc's headers define _GNU_SOURCE, which
// changes how glibc declares fd_set; including these first keeps Glibc and
// this module agreeing on the type (see PROTOCOL-NOTES.md).
#include <stdlib.h>
#include <sys/select.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
#include <grpc/support/alloc.h>
#include <grpc/support/log.h>
#include <grpc/support/time.h>

// C macros do not import into Swift; these are their function forms. They
// take the slice by address: a short slice keeps its bytes inside the struct,
// so a by-value copy would hand back a pointer into a dead stack frame.
static inline const uint8_t *cgrpc_slice_start_ptr(const grpc_slice *slice) { return GRPC_SLICE_START_PTR(*slice); }
static inline size_t cgrpc_slice_length(const grpc_slice *slice) { return GRPC_SLICE_LENGTH(*slice); }
static inline uint32_t cgrpc_propagate_defaults(void) { return GRPC_PROPAGATE_DEFAULTS; }

// prctl is variadic, which Swift cannot call.
static inline int cgrpc_set_parent_death_signal(int signal_number) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal_number, 0UL, 0UL, 0UL);
}
static inline int cgrpc_sigrtmin(void) { return SIGRTMIN; }
static inline int cgrpc_sigrtmax(void) { return SIGRTMAX; }

/// Everything the server keeps for one call, in one allocation, so the
/// out-parameters handed to grpc_server_request_call and to batches have
/// stable addresses for the life of the call.
typedef struct {
    grpc_call *call;
    grpc_call_details details;
    grpc_metadata_array request_metadata;
    grpc_byte_buffer *request;
    grpc_byte_buffer *response;
    grpc_slice status_details;
    int cancelled;
} cgrpc_server_call;

#endif
