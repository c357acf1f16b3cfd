// Placeholder: the dlopen loader for libcurl lands with the Turso API client.
