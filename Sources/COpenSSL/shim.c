// Intentionally empty: COpenSSL is header-only; SwiftPM needs one source file.
