// Intentionally empty: CGRPCCore is header-only; SwiftPM needs one source file.
