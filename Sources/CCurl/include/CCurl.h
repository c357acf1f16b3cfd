#ifndef CCURL_H
#define CCURL_H
// libcurl, loaded with dlopen on first use (see CCurl.c for why). Only the
// headers come from libcurl4-openssl-dev; nothing here links libcurl, so
// never call a curl_* function directly: go through the ccurl_* wrappers,
// which call through the table resolved by ccurl_load.
#include <stddef.h>
#include <curl/curl.h>

/// The resolved libcurl functions. Opaque: only CCurl.c reads it.
typedef struct ccurl_api ccurl_api;
/// A `CURL *` easy handle, typed so Swift sees it as its own kind of pointer.
typedef struct ccurl_easy ccurl_easy;
/// A `CURLM *` multi handle.
typedef struct ccurl_multi ccurl_multi;

/// Loads `library_name` with dlopen, resolves the functions this module
/// needs and runs curl_global_init. Thread-safe; each name is loaded at most
/// once per process and the result is kept for the life of the process (a
/// later call with the same name returns the same table). On failure returns
/// NULL and writes a one-line reason into `error` (always NUL-terminated).
const ccurl_api *ccurl_load(const char *library_name, char *error, size_t error_size);

/// The version string of the loaded libcurl, e.g. "7.88.1".
const char *ccurl_version(const ccurl_api *api);

ccurl_easy *ccurl_easy_init(const ccurl_api *api);
void ccurl_easy_cleanup(const ccurl_api *api, ccurl_easy *easy);
void ccurl_easy_reset(const ccurl_api *api, ccurl_easy *easy);
const char *ccurl_easy_strerror(const ccurl_api *api, CURLcode code);

// curl_easy_setopt is variadic, which Swift cannot call: one typed wrapper
// per argument kind the options take.
CURLcode ccurl_easy_setopt_long(const ccurl_api *api, ccurl_easy *easy, CURLoption option, long value);
CURLcode ccurl_easy_setopt_off_t(const ccurl_api *api, ccurl_easy *easy, CURLoption option, curl_off_t value);
/// For options libcurl copies (URL, USERAGENT, COPYPOSTFIELDS, CUSTOMREQUEST, ...).
CURLcode ccurl_easy_setopt_string(const ccurl_api *api, ccurl_easy *easy, CURLoption option, const char *value);
/// For options libcurl keeps a pointer to (WRITEDATA, HEADERDATA,
/// ERRORBUFFER): the caller keeps the pointee alive for the transfer.
CURLcode ccurl_easy_setopt_pointer(const ccurl_api *api, ccurl_easy *easy, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_slist(const ccurl_api *api, ccurl_easy *easy, CURLoption option, struct curl_slist *list);
/// WRITEFUNCTION and HEADERFUNCTION share this signature.
CURLcode ccurl_easy_setopt_write_callback(const ccurl_api *api, ccurl_easy *easy, CURLoption option, curl_write_callback callback);

CURLcode ccurl_easy_getinfo_long(const ccurl_api *api, ccurl_easy *easy, CURLINFO info, long *value);

struct curl_slist *ccurl_slist_append(const ccurl_api *api, struct curl_slist *list, const char *string);
void ccurl_slist_free_all(const ccurl_api *api, struct curl_slist *list);

ccurl_multi *ccurl_multi_init(const ccurl_api *api);
CURLMcode ccurl_multi_cleanup(const ccurl_api *api, ccurl_multi *multi);
CURLMcode ccurl_multi_add_handle(const ccurl_api *api, ccurl_multi *multi, ccurl_easy *easy);
CURLMcode ccurl_multi_remove_handle(const ccurl_api *api, ccurl_multi *multi, ccurl_easy *easy);
CURLMcode ccurl_multi_perform(const ccurl_api *api, ccurl_multi *multi, int *running_handles);
CURLMcode ccurl_multi_poll(const ccurl_api *api, ccurl_multi *multi, int timeout_ms);
/// The one multi function that may be called from any thread.
CURLMcode ccurl_multi_wakeup(const ccurl_api *api, ccurl_multi *multi);
const char *ccurl_multi_strerror(const ccurl_api *api, CURLMcode code);

/// Takes the next finished transfer from the multi handle's message queue:
/// returns 1 and sets `easy` and `result`, or 0 when no transfer has finished.
/// (curl_multi_info_read returns a struct with a union, awkward in Swift.)
int ccurl_multi_next_done(const ccurl_api *api, ccurl_multi *multi, ccurl_easy **easy, CURLcode *result);

#endif
