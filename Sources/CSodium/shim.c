// Intentionally empty: CSodium is header-only; SwiftPM needs one source file.
