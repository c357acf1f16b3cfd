#!/usr/bin/env python3
"""Start-up only: spawn to handshake line with AutoMTLS, and memory, of each
binary given, launched in turn (interleaved, so a busy moment on the machine
hits all of them alike), as `scripts/benchmark --handshake` runs it. Prints a
markdown table; asserts nothing (these machines are noisy: compare within one
run, and read the instruction counts, which noise does not change).

    scripts/benchmark-handshake.py [--runs N] [--callgrind] NAME=BINARY ...

- handshake: time from posix_spawn to the handshake line on stdout, after 3
  untimed launches of each (the binaries are in the page cache, as they are
  for Terraform's later launches);
- VmHWM / VmRSS / RssFile: /proc/<pid>/status right after the handshake line;
- with --client GO_CLIENT (scripts/benchmark passes its Go gRPC client):
  also spawn to first answer, the time until a GetProviderSchema made as
  Terraform makes it (dial, TLS handshake, call) is answered; work a plugin
  defers past its handshake line shows here. Fewer runs (a Go process each);
- with --callgrind: instructions executed by the process from exec to exit
  when stopped by SIGTERM right after the handshake (valgrind's callgrind;
  slow, one run each);
- with --realtime (root): the launches run under SCHED_FIFO, which the
  binaries inherit, so other work on a shared machine does not delay them:
  the figures approach an idle machine's. Only the timed launches; the
  kernel keeps 5% of each second for everything else meanwhile.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("harness", os.path.join(here, "benchmark-harness.py"))
harness = importlib.util.module_from_spec(spec)
spec.loader.exec_module(harness)


def instructions(binary, environment, scratch):
    """Instructions (callgrind's Ir) from exec to exit, stopped right after the handshake."""
    out = os.path.join(scratch, "callgrind.out")
    # Valgrind 3.19 (Debian 12) cannot read Swift's DWARF 5: count on a copy
    # without debug info (the code is the same).
    stripped = os.path.join(scratch, "stripped-" + os.path.basename(binary))
    subprocess.run(["strip", "--strip-debug", "-o", stripped, binary], check=True)
    binary = stripped
    valgrind_environment = dict(environment)
    process = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary],
                               env=valgrind_environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = process.stdout.readline()
    process.terminate()
    process.wait(timeout=120)
    if not line.startswith(b"1|"):
        return None
    with open(out) as dump:
        for text in dump:
            if text.startswith("summary:") or text.startswith("totals:"):
                return int(text.split()[1])
    return None


def first_answer_ms(client, binary, home):
    """Spawn to the first GetProviderSchema answer, by the Go client (-calls 0)."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home}
    output = subprocess.run([client, "-calls", "0", binary], env=environment, capture_output=True, check=True).stdout
    return json.loads(output)["spawn_to_first_answer_ms"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument("--realtime", action="store_true")
    parser.add_argument("--client", help="the Go benchmark client, for spawn to first answer")
    parser.add_argument("binaries", nargs="+", help="NAME=BINARY")
    args = parser.parse_args()
    peers = [entry.split("=", 1) for entry in args.binaries]

    scratch = tempfile.mkdtemp(prefix="turso-handshake-")
    _, client_cert = harness.client_certificate(scratch)
    home = os.path.join(scratch, "home")
    sockets = os.path.join(scratch, "sockets")
    os.makedirs(home)
    os.makedirs(sockets)
    environment = harness.plugin_environment(home, client_cert, sockets)

    results = {name: {"times": [], "hwm": [], "rss": [], "file": []} for name, _ in peers}
    if args.realtime:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))
    for name, binary in peers:
        for _ in range(3):
            harness.Plugin(binary, environment).stop()
    for _ in range(args.runs):
        for name, binary in peers:
            plugin = harness.Plugin(binary, environment)
            entry = results[name]
            entry["times"].append(plugin.handshake_ms)
            entry["hwm"].append(plugin.memory_kib("VmHWM"))
            entry["rss"].append(plugin.memory_kib("VmRSS"))
            entry["file"].append(plugin.memory_kib("RssFile"))
            plugin.stop()
    if args.client:
        for _ in range(max(5, args.runs // 2)):
            for name, binary in peers:
                results[name].setdefault("answer", []).append(first_answer_ms(args.client, binary, home))
    if args.realtime:
        os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    if args.callgrind:
        for name, binary in peers:
            results[name]["instructions"] = instructions(binary, environment, scratch)

    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}, "
          f"{args.runs} interleaved runs each" + (", SCHED_FIFO" if args.realtime else ""))
    print()
    columns = ["binary", "size (MiB)", "handshake median (ms)", "min (ms)", "VmHWM (MiB)", "VmRSS (MiB)", "of it file-backed (MiB)"]
    if args.client:
        columns.append("spawn to first answer median (ms)")
    if args.callgrind:
        columns.append("instructions to exit after handshake (M)")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for name, binary in peers:
        entry = results[name]
        row = [name, f"{os.path.getsize(binary) / 1048576:.1f}", f"{statistics.median(entry['times']):.2f}",
               f"{min(entry['times']):.2f}", f"{statistics.median(entry['hwm']) / 1024:.1f}",
               f"{statistics.median(entry['rss']) / 1024:.1f}", f"{statistics.median(entry['file']) / 1024:.1f}"]
        if args.client:
            row.append(f"{statistics.median(entry['answer']):.2f}")
        if args.callgrind:
            count = entry.get("instructions")
            row.append(f"{count / 1e6:.1f}" if count else "n/a")
        print("| " + " | ".join(row) + " |")
    subprocess.run(["rm", "-rf", scratch])


if __name__ == "__main__":
    sys.exit(main())
