#ifndef CCURL_H
#define CCURL_H
// libcurl, loaded with dlopen on first use (see CCurl.c for why).
#include <curl/curl.h>

#endif
