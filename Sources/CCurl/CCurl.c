// libcurl through dlopen.
//
// Linking libcurl would pull about 25 shared objects into every start of the
// provider (~3.6 ms measured), and Terraform starts the provider several
// times per command, most of them never calling the Turso API. So libcurl is
// loaded only when the first request is made.
#include "CCurl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ccurl_api {
    struct ccurl_api *next;  // the list of loaded libraries, by name
    char *name;
    void *library;
    const char *version;

    CURLcode (*global_init)(long flags);
    curl_version_info_data *(*version_info)(CURLversion age);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *easy);
    void (*easy_reset)(CURL *easy);
    CURLcode (*easy_setopt)(CURL *easy, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *easy, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
    void (*slist_free_all)(struct curl_slist *list);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *multi);
    CURLMcode (*multi_add_handle)(CURLM *multi, CURL *easy);
    CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *easy);
    CURLMcode (*multi_perform)(CURLM *multi, int *running_handles);
    CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, int *numfds);
    CURLMcode (*multi_wakeup)(CURLM *multi);
    CURLMsg *(*multi_info_read)(CURLM *multi, int *msgs_in_queue);
    const char *(*multi_strerror)(CURLMcode code);
};

static pthread_mutex_t loaded_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ccurl_api *loaded;  // never freed: a loaded libcurl stays for the process

// Resolves one symbol; on failure records which one and why.
static int resolve(void *library, const char *symbol, void **slot, const char *library_name, char *error, size_t error_size) {
    dlerror();
    *slot = dlsym(library, symbol);
    if (*slot == NULL) {
        snprintf(error, error_size, "%s has no function %s (libcurl 7.68 or newer is needed)", library_name, symbol);
        return 0;
    }
    return 1;
}

#define RESOLVE(field, symbol) \
    if (!resolve(library, symbol, (void **)&api.field, library_name, error, error_size)) goto fail

const ccurl_api *ccurl_load(const char *library_name, char *error, size_t error_size) {
    if (error_size > 0) error[0] = '\0';
    pthread_mutex_lock(&loaded_lock);
    for (struct ccurl_api *item = loaded; item != NULL; item = item->next) {
        if (strcmp(item->name, library_name) == 0) {
            pthread_mutex_unlock(&loaded_lock);
            return item;
        }
    }

    struct ccurl_api api;
    memset(&api, 0, sizeof api);
    void *library = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(error, error_size, "%s", reason != NULL ? reason : library_name);
        pthread_mutex_unlock(&loaded_lock);
        return NULL;
    }
    RESOLVE(global_init, "curl_global_init");
    RESOLVE(version_info, "curl_version_info");
    RESOLVE(easy_init, "curl_easy_init");
    RESOLVE(easy_cleanup, "curl_easy_cleanup");
    RESOLVE(easy_reset, "curl_easy_reset");
    RESOLVE(easy_setopt, "curl_easy_setopt");
    RESOLVE(easy_getinfo, "curl_easy_getinfo");
    RESOLVE(easy_strerror, "curl_easy_strerror");
    RESOLVE(slist_append, "curl_slist_append");
    RESOLVE(slist_free_all, "curl_slist_free_all");
    RESOLVE(multi_init, "curl_multi_init");
    RESOLVE(multi_cleanup, "curl_multi_cleanup");
    RESOLVE(multi_add_handle, "curl_multi_add_handle");
    RESOLVE(multi_remove_handle, "curl_multi_remove_handle");
    RESOLVE(multi_perform, "curl_multi_perform");
    RESOLVE(multi_poll, "curl_multi_poll");
    RESOLVE(multi_wakeup, "curl_multi_wakeup");
    RESOLVE(multi_info_read, "curl_multi_info_read");
    RESOLVE(multi_strerror, "curl_multi_strerror");

    // Under our lock: curl_global_init is only thread-safe in some builds.
    CURLcode init = api.global_init(CURL_GLOBAL_DEFAULT);
    if (init != CURLE_OK) {
        snprintf(error, error_size, "curl_global_init failed: %s", api.easy_strerror(init));
        goto fail;
    }
    curl_version_info_data *info = api.version_info(CURLVERSION_NOW);
    api.version = (info != NULL && info->version != NULL) ? info->version : "unknown";

    struct ccurl_api *stored = malloc(sizeof *stored);
    char *name = strdup(library_name);
    if (stored == NULL || name == NULL) {
        free(stored);
        free(name);
        snprintf(error, error_size, "out of memory loading %s", library_name);
        pthread_mutex_unlock(&loaded_lock);
        return NULL;  // libcurl stays loaded and initialised; harmless
    }
    *stored = api;
    stored->library = library;
    stored->name = name;
    stored->next = loaded;
    loaded = stored;
    pthread_mutex_unlock(&loaded_lock);
    return stored;

fail:
    dlclose(library);
    pthread_mutex_unlock(&loaded_lock);
    return NULL;
}

const char *ccurl_version(const ccurl_api *api) { return api->version; }

ccurl_easy *ccurl_easy_init(const ccurl_api *api) { return (ccurl_easy *)api->easy_init(); }

void ccurl_easy_cleanup(const ccurl_api *api, ccurl_easy *easy) { api->easy_cleanup((CURL *)easy); }

void ccurl_easy_reset(const ccurl_api *api, ccurl_easy *easy) { api->easy_reset((CURL *)easy); }

const char *ccurl_easy_strerror(const ccurl_api *api, CURLcode code) { return api->easy_strerror(code); }

CURLcode ccurl_easy_setopt_long(const ccurl_api *api, ccurl_easy *easy, CURLoption option, long value) {
    return api->easy_setopt((CURL *)easy, option, value);
}

CURLcode ccurl_easy_setopt_off_t(const ccurl_api *api, ccurl_easy *easy, CURLoption option, curl_off_t value) {
    return api->easy_setopt((CURL *)easy, option, value);
}

CURLcode ccurl_easy_setopt_string(const ccurl_api *api, ccurl_easy *easy, CURLoption option, const char *value) {
    return api->easy_setopt((CURL *)easy, option, value);
}

CURLcode ccurl_easy_setopt_pointer(const ccurl_api *api, ccurl_easy *easy, CURLoption option, void *value) {
    return api->easy_setopt((CURL *)easy, option, value);
}

CURLcode ccurl_easy_setopt_slist(const ccurl_api *api, ccurl_easy *easy, CURLoption option, struct curl_slist *list) {
    return api->easy_setopt((CURL *)easy, option, list);
}

CURLcode ccurl_easy_setopt_write_callback(const ccurl_api *api, ccurl_easy *easy, CURLoption option, curl_write_callback callback) {
    return api->easy_setopt((CURL *)easy, option, callback);
}

CURLcode ccurl_easy_getinfo_long(const ccurl_api *api, ccurl_easy *easy, CURLINFO info, long *value) {
    return api->easy_getinfo((CURL *)easy, info, value);
}

struct curl_slist *ccurl_slist_append(const ccurl_api *api, struct curl_slist *list, const char *string) {
    return api->slist_append(list, string);
}

void ccurl_slist_free_all(const ccurl_api *api, struct curl_slist *list) { api->slist_free_all(list); }

ccurl_multi *ccurl_multi_init(const ccurl_api *api) { return (ccurl_multi *)api->multi_init(); }

CURLMcode ccurl_multi_cleanup(const ccurl_api *api, ccurl_multi *multi) { return api->multi_cleanup((CURLM *)multi); }

CURLMcode ccurl_multi_add_handle(const ccurl_api *api, ccurl_multi *multi, ccurl_easy *easy) {
    return api->multi_add_handle((CURLM *)multi, (CURL *)easy);
}

CURLMcode ccurl_multi_remove_handle(const ccurl_api *api, ccurl_multi *multi, ccurl_easy *easy) {
    return api->multi_remove_handle((CURLM *)multi, (CURL *)easy);
}

CURLMcode ccurl_multi_perform(const ccurl_api *api, ccurl_multi *multi, int *running_handles) {
    return api->multi_perform((CURLM *)multi, running_handles);
}

CURLMcode ccurl_multi_poll(const ccurl_api *api, ccurl_multi *multi, int timeout_ms) {
    return api->multi_poll((CURLM *)multi, NULL, 0, timeout_ms, NULL);
}

CURLMcode ccurl_multi_wakeup(const ccurl_api *api, ccurl_multi *multi) { return api->multi_wakeup((CURLM *)multi); }

const char *ccurl_multi_strerror(const ccurl_api *api, CURLMcode code) { return api->multi_strerror(code); }

int ccurl_multi_next_done(const ccurl_api *api, ccurl_multi *multi, ccurl_easy **easy, CURLcode *result) {
    int remaining = 0;
    CURLMsg *message;
    while ((message = api->multi_info_read((CURLM *)multi, &remaining)) != NULL) {
        if (message->msg == CURLMSG_DONE) {
            *easy = (ccurl_easy *)message->easy_handle;
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}
