#!/usr/bin/env python3
"""Spawn-to-handshake-line time of the provider, as Terraform launches it.

    swift build -c release --product terraform-provider-turso
    python3 Tests/measure-plugin-startup.py [BINARY] [RUNS]

Each run posix_spawns the binary with the magic cookie, PLUGIN_PROTOCOL_VERSIONS
and (first series) a fresh-per-series P-521 PLUGIN_CLIENT_CERT like Terraform's,
times until the handshake line is read from its stdout, then SIGTERMs it. The
second series is plaintext (no PLUGIN_CLIENT_CERT). Python's own start-up is
not in the numbers; its spawn overhead is (about 0.9 ms on the reference
machine for a C program that only prints a line).
"""
import os, signal, statistics, subprocess, sys, tempfile, time

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/terraform-provider-turso"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 50

client_cert = subprocess.run(
    ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521", "-nodes",
     "-keyout", "/dev/null", "-subj", "/CN=localhost", "-days", "1"],
    capture_output=True, check=True).stdout.decode()
base = {
    "TF_PLUGIN_MAGIC_COOKIE": "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
    "PLUGIN_PROTOCOL_VERSIONS": "5,6",
    "PLUGIN_UNIX_SOCKET_DIR": tempfile.gettempdir(),
}

def series(environment):
    times = []
    for _ in range(runs):
        read_end, write_end = os.pipe()
        started = time.perf_counter_ns()
        pid = os.posix_spawn(binary, [binary], environment,
                             file_actions=[(os.POSIX_SPAWN_DUP2, write_end, 1), (os.POSIX_SPAWN_CLOSE, read_end)])
        os.close(write_end)
        line = b""
        while not line.endswith(b"\n"):
            chunk = os.read(read_end, 4096)
            if not chunk:
                break
            line += chunk
        elapsed = (time.perf_counter_ns() - started) / 1e6
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(read_end)
        if not line.startswith(b"1|6|unix|"):
            sys.exit(f"unexpected handshake: {line!r}")
        times.append(elapsed)
    times.sort()
    return (f"median {statistics.median(times):.2f} ms, min {times[0]:.2f}, "
            f"p90 {times[int(len(times) * 0.9) - 1]:.2f}, max {times[-1]:.2f} ({runs} runs)")

print("AutoMTLS (P-521 client cert):", series(dict(base, PLUGIN_CLIENT_CERT=client_cert)))
print("plaintext:                   ", series(base))
