// The Turso API emulator library.
