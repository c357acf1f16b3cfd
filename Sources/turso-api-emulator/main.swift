// An in-memory Turso Platform API (token endpoints) on 127.0.0.1, for tests
// and the README example. See EmulatorCommand for the options.
import TursoEmulator

EmulatorCommand.main()
