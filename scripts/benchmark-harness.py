#!/usr/bin/env python3
"""The measuring half of scripts/benchmark (which builds and installs first).

Runs the same measurements against our provider and its peers and prints one
markdown table side by side. Numbers only, nothing asserted: these machines
are noisy. Runs in the benchmark venv (grpcio, and tfplugin6 stubs generated
into --stubs at run time).

1. spawn to handshake line with AutoMTLS (PLUGIN_CLIENT_CERT set, a fresh
   P-521 certificate like Terraform's), min and median, after 3 untimed
   launches;
2. VmHWM from /proc/<pid>/status right after the handshake line and after
   one GetProviderSchema over the real mTLS gRPC connection;
3. GetProviderSchema latency on one connection (the first call, which
   includes the TLS handshake, is reported apart).
   2 and 3 use one client for every provider: scripts/benchmark-go/client,
   grpc-go with go-plugin's AutoMTLS as Terraform dials. A Python grpcio
   client (stubs generated at run time) gives a second view of 3 for the
   providers whose certificate BoringSSL accepts (not go-plugin's P-521);
4. `terraform apply` wall time for N timed tokens, fresh workspace each time;
5. sealing: turso-benchmarks' per-operation numbers, and `terraform apply` of
   1000 timed tokens with sealing versus the plain-private-state build.
"""
import argparse
import base64
import json
import math
import os
import platform
import resource
import secrets
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"


# MARK: Launching a plugin as Terraform does

class Plugin:
    """A launched plugin process, its handshake and what it took."""

    def __init__(self, binary, environment):
        read_end, write_end = os.pipe()
        devnull = os.open(os.devnull, os.O_WRONLY)
        started = time.perf_counter_ns()
        # posix_spawn, not subprocess: less Python overhead inside the timing.
        self.pid = os.posix_spawn(binary, [binary], environment, file_actions=[
            (os.POSIX_SPAWN_DUP2, write_end, 1), (os.POSIX_SPAWN_DUP2, devnull, 2),
            (os.POSIX_SPAWN_CLOSE, read_end),
        ])
        os.close(write_end)
        os.close(devnull)
        line = b""
        while not line.endswith(b"\n"):
            chunk = os.read(read_end, 4096)
            if not chunk:
                break
            line += chunk
        self.handshake_ms = (time.perf_counter_ns() - started) / 1e6
        self.stdout = read_end
        self.line = line.decode(errors="replace").strip()
        fields = self.line.split("|")
        if len(fields) < 6 or fields[0] != "1" or fields[2] != "unix":
            self.stop()
            raise RuntimeError(f"{binary}: unexpected handshake line {self.line[:60]!r}")
        self.protocol, self.socket = fields[1], fields[3]
        der = base64.b64decode(fields[5] + "=" * (-len(fields[5]) % 4))
        self.server_certificate_pem = ssl.DER_cert_to_PEM_cert(der)

    def memory_kib(self, field):
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return None

    def stop(self):
        """SIGTERM, then SIGKILL after 5 s; removes a socket left behind."""
        try:
            os.kill(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                    break
                time.sleep(0.01)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.stdout)
        socket = getattr(self, "socket", None)
        if socket and os.path.exists(socket):
            os.unlink(socket)


def client_certificate(directory):
    """A P-521 self-signed client certificate, as Terraform makes per launch."""
    key, cert = os.path.join(directory, "client.key"), os.path.join(directory, "client.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521", "-nodes",
                    "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-days", "1"],
                   check=True, capture_output=True)
    with open(key) as k, open(cert) as c:
        return k.read(), c.read()


def plugin_environment(home, client_cert_pem, socket_dir):
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
        "TF_PLUGIN_MAGIC_COOKIE": MAGIC_COOKIE, "PLUGIN_PROTOCOL_VERSIONS": "5,6",
        "PLUGIN_CLIENT_CERT": client_cert_pem, "PLUGIN_UNIX_SOCKET_DIR": socket_dir,
    }


def percentile(sorted_values, fraction):
    """Nearest-rank percentile."""
    index = math.ceil(fraction * len(sorted_values)) - 1
    return sorted_values[max(0, min(len(sorted_values) - 1, index))]


# MARK: Measurements 1-3

def measure_spawn(binary, environment, runs, warm_up=3):
    # Untimed launches first: Terraform starts a provider several times per
    # command, so its binary and libraries are in the page cache by then.
    for _ in range(warm_up):
        Plugin(binary, environment).stop()
    times = []
    for _ in range(runs):
        plugin = Plugin(binary, environment)
        times.append(plugin.handshake_ms)
        plugin.stop()
    times.sort()
    return {"runs": runs, "min_ms": times[0], "median_ms": statistics.median(times), "max_ms": times[-1]}


def measure_grpc(client, binary, calls, home):
    """Measurements 2 and 3 with the Go client (Terraform's TLS and gRPC stack)."""
    run = subprocess.run([client, "-calls", str(calls), binary], capture_output=True, text=True, timeout=600,
                         env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home})
    if run.returncode != 0:
        raise RuntimeError(f"benchmark client on {binary}: {run.stderr[-400:]}")
    return json.loads(run.stdout)


def measure_grpc_python(binary, environment, client_key, client_cert, calls, grpc, pb, pb_grpc):
    """Measurement 3 again, with a Python grpcio client."""
    plugin = Plugin(binary, environment)
    try:
        credentials = grpc.ssl_channel_credentials(
            root_certificates=plugin.server_certificate_pem.encode(),
            private_key=client_key.encode(), certificate_chain=client_cert.encode())
        # go-plugin checks the server certificate for "localhost".
        options = [("grpc.ssl_target_name_override", "localhost"),
                   ("grpc.max_receive_message_length", 256 << 20), ("grpc.max_send_message_length", 256 << 20)]
        with grpc.secure_channel("unix:" + plugin.socket, credentials, options=options) as channel:
            stub = pb_grpc.ProviderStub(channel)
            request = pb.GetProviderSchema.Request()
            stub.GetProviderSchema(request, timeout=60)
            latencies = []
            for _ in range(calls):
                started = time.perf_counter_ns()
                stub.GetProviderSchema(request, timeout=60)
                latencies.append((time.perf_counter_ns() - started) / 1e6)
        latencies.sort()
        return {"calls": calls, "median_ms": statistics.median(latencies), "p99_ms": percentile(latencies, 0.99)}
    finally:
        plugin.stop()


# MARK: Measurement 4: terraform apply

def terraform_apply(terraform, peer, count, binary, timeout, wrap=False):
    """Wall time of `terraform apply` creating `count` timed tokens in a fresh
    workspace with its own HOME and a dev_overrides CLI configuration, and
    the CPU time of Terraform and the providers it ran.

    wrap: launch the provider through /usr/bin/time, to learn the provider
    processes' own CPU time and peak RSS (it adds about a millisecond per
    launch, so it is used only where two builds are compared, or for the
    extra run that reports the split)."""
    base = tempfile.mkdtemp(prefix=f"tf-bench-{peer['key']}-")
    try:
        home, work = os.path.join(base, "home"), os.path.join(base, "work")
        os.makedirs(home)
        os.makedirs(work)
        override_dir = os.path.dirname(binary)
        times_file = os.path.join(base, "provider-times")
        if wrap:
            override_dir = os.path.join(base, "wrapped")
            os.makedirs(override_dir)
            wrapper = os.path.join(override_dir, os.path.basename(binary))
            with open(wrapper, "w") as file:
                file.write(f'#!/bin/sh\nexec /usr/bin/time -a -o "{times_file}" -f "%U %S %M" "{binary}"\n')
            os.chmod(wrapper, 0o755)
        cli_config = os.path.join(home, "terraformrc")
        with open(cli_config, "w") as file:
            file.write('provider_installation {\n  dev_overrides {\n'
                       f'    "registry.terraform.io/{peer["source"]}" = "{override_dir}"\n'
                       '  }\n  direct {}\n}\n')
        with open(os.path.join(work, "main.tf"), "w") as file:
            file.write('terraform {\n  required_providers {\n'
                       f'    {peer["local_name"]} = {{ source = "{peer["source"]}" }}\n  }}\n}}\n\n'
                       f'resource "{peer["resource"]}" "bench" {{\n  count = {count}\n  name  = "bench-${{count.index}}"\n}}\n')
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
                       "TF_CLI_CONFIG_FILE": cli_config, "CHECKPOINT_DISABLE": "1", "TMPDIR": base}
        # A throwaway sealing secret per run; never printed.
        environment[peer["secret_variable"]] = secrets.token_urlsafe(33)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        # Its own session, so a run stopped at the cap takes its providers along.
        process = subprocess.Popen([terraform, "apply", "-auto-approve", "-input=false", "-no-color"], cwd=work,
                                   env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return {"count": count, "timed_out": True, "seconds": timeout}
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        created = 0
        state_file = os.path.join(work, "terraform.tfstate")
        if os.path.exists(state_file):
            with open(state_file) as file:
                state = json.load(file)
            created = sum(len(r["instances"]) for r in state.get("resources", []) if r["type"] == peer["resource"])
        result = {"count": count, "seconds": seconds, "created": created, "exit": process.returncode,
                  # Terraform and every provider process it waited for.
                  "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)}
        if wrap and os.path.exists(times_file):
            with open(times_file) as file:
                launches = [line.split() for line in file if line.strip() and line.split()[0][0].isdigit()]
            result["provider_launches"] = len(launches)
            result["provider_cpu_s"] = sum(float(user) + float(system) for user, system, _ in launches)
            result["provider_max_rss_kib"] = max(int(kib) for _, _, kib in launches)
        if process.returncode != 0 or created != count:
            result["error_tail"] = (stderr or stdout)[-600:]
        return result
    finally:
        shutil.rmtree(base, ignore_errors=True)


# MARK: Output

def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        total_kib = int(meminfo.readline().split()[1])
    return {"nproc": os.cpu_count(), "cpu": model, "memory_gib": round(total_kib / 1024 / 1024, 1),
            "kernel": platform.release(), "load": os.getloadavg()}


def ms(value, digits=2):
    return "–" if value is None else f"{value:.{digits}f} ms"


def mib(kib):
    return "–" if kib is None else f"{kib / 1024:.1f} MiB"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--terraform", required=True)
    parser.add_argument("--turso", required=True)
    parser.add_argument("--turso-plain", required=True)
    parser.add_argument("--benchmarks", required=True)
    parser.add_argument("--pyvider", required=True, help="a terraform-provider-pyvider launcher")
    parser.add_argument("--go", required=True, help="the Go peer (scripts/benchmark-go/peer)")
    parser.add_argument("--go-client", required=True, help="scripts/benchmark-go/client, built")
    parser.add_argument("--command", default="scripts/benchmark")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", help="also write the raw results here")
    args = parser.parse_args()

    sys.path.insert(0, args.stubs)
    import grpc
    import tfplugin6_pb2
    import tfplugin6_pb2_grpc

    spawn_runs = 10 if args.quick else 20
    calls = 50 if args.quick else 200
    sizes = [1, 10, 100] if args.quick else [1, 10, 100, 1000]
    seal_pairs = 1 if args.quick else 3
    seal_count = 100 if args.quick else 1000
    pyvider_budget_s = 60 if args.quick else 240

    import importlib.metadata as metadata
    versions = {name: metadata.version(name) for name in ("pyvider", "pyvider-components", "grpcio")}
    terraform_version = subprocess.run([args.terraform, "version"], capture_output=True, text=True,
                                       env={"CHECKPOINT_DISABLE": "1", "PATH": os.environ.get("PATH", "")}).stdout.split("\n")[0]

    # grpcio's BoringSSL accepts neither Ed25519 (our AutoMTLS certificate)
    # nor P-521 (go-plugin's) server certificates; Terraform and OpenTofu use
    # Go's crypto/tls, as the Go client here does, which accepts both. So the
    # Python client measures pyvider only, as a second view.
    peers = [{"key": "turso", "label": "turso (Swift, ours)", "binary": args.turso, "source": "turso-swift/turso",
              "local_name": "turso", "resource": "turso_timed_token", "secret_variable": "TURSO_PRIVATE_STATE_KEY",
              "python_client": False}]
    peers.append({"key": "go", "label": "Go peer (go-plugin 1.0.1 + grpc-go 1.33, Debian; schema only)",
                  "binary": args.go, "python_client": False})
    peers.append({"key": "pyvider", "label": f"pyvider {versions['pyvider']}", "binary": args.pyvider,
                  "source": "provide-io/pyvider", "local_name": "pyvider", "resource": "pyvider_timed_token",
                  "secret_variable": "PYVIDER_PRIVATE_STATE_SHARED_SECRET"})

    results = {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "machine": machine(), "command": args.command,
               "terraform": terraform_version, "versions": versions, "peers": {}}
    scratch = tempfile.mkdtemp(prefix="turso-bench-")
    try:
        client_key, client_cert = client_certificate(scratch)
        home = os.path.join(scratch, "home")
        sockets = os.path.join(scratch, "sockets")
        os.makedirs(home)
        os.makedirs(sockets)
        environment = plugin_environment(home, client_cert, sockets)

        for peer in peers:
            print(f"[{peer['key']}] spawn to handshake x{spawn_runs}", file=sys.stderr, flush=True)
            entry = results["peers"].setdefault(peer["key"], {"label": peer["label"]})
            entry["spawn"] = measure_spawn(peer["binary"], environment, spawn_runs)
            print(f"[{peer['key']}] GetProviderSchema x{calls}", file=sys.stderr, flush=True)
            entry["grpc"] = measure_grpc(args.go_client, peer["binary"], calls, home)
            if peer.get("python_client", True):
                entry["grpc_python"] = measure_grpc_python(peer["binary"], environment, client_key, client_cert, calls,
                                                           grpc, tfplugin6_pb2, tfplugin6_pb2_grpc)

        for peer in peers:
            if "resource" not in peer:
                continue
            entry = results["peers"][peer["key"]]
            entry["apply"] = []
            for count in sizes:
                previous = entry["apply"][-1] if entry["apply"] else None
                if peer["key"] == "pyvider" and previous and not previous.get("timed_out") \
                        and previous["seconds"] * count / previous["count"] > pyvider_budget_s:
                    entry["apply"].append({"count": count, "skipped": True,
                                           "estimate_s": previous["seconds"] * count / previous["count"]})
                    continue
                print(f"[{peer['key']}] terraform apply, {count} timed tokens", file=sys.stderr, flush=True)
                timeout = pyvider_budget_s * 2 if peer["key"] == "pyvider" else 900
                entry["apply"].append(terraform_apply(args.terraform, peer, count, peer["binary"], timeout))
            # Once more at the largest size that completed, with the provider
            # wrapped in /usr/bin/time: how the CPU time splits between
            # Terraform and the provider.
            completed = [run for run in entry["apply"] if run.get("exit") == 0]
            if completed:
                count = completed[-1]["count"]
                print(f"[{peer['key']}] terraform apply, {count} timed tokens, provider under /usr/bin/time",
                      file=sys.stderr, flush=True)
                entry["split"] = terraform_apply(args.terraform, peer, count, peer["binary"], 900, wrap=True)

        print("[turso] sealing micro-benchmarks", file=sys.stderr, flush=True)
        micro = subprocess.run([args.benchmarks] + (["--quick"] if args.quick else []),
                               capture_output=True, text=True, check=True).stdout
        results["sealing"] = {row["name"]: row for row in map(json.loads, micro.splitlines())}
        turso = peers[0]
        pairs = []
        for index in range(seal_pairs):
            # Alternating, so a slow phase of the machine hits both builds alike.
            print(f"[turso] apply {seal_count} sealed vs plain, pair {index + 1}/{seal_pairs}", file=sys.stderr, flush=True)
            # Both wrapped, to compare the provider's own CPU time too; the
            # wrapper's cost is the same for both builds.
            # Which build goes first alternates too: the second run of a pair
            # may find the machine in another state.
            if index % 2 == 0:
                sealed = terraform_apply(args.terraform, turso, seal_count, args.turso, 900, wrap=True)
                plain = terraform_apply(args.terraform, turso, seal_count, args.turso_plain, 900, wrap=True)
            else:
                plain = terraform_apply(args.terraform, turso, seal_count, args.turso_plain, 900, wrap=True)
                sealed = terraform_apply(args.terraform, turso, seal_count, args.turso, 900, wrap=True)
            pairs.append({"sealed": sealed, "plain": plain})
        results["sealing"]["apply_pairs"] = pairs
        results["sealing"]["apply_count"] = seal_count
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    if args.json:
        with open(args.json, "w") as file:
            json.dump(results, file, indent=1)
    print(render(results, peers, sizes, spawn_runs, calls))


def render(results, peers, sizes, spawn_runs, calls):
    m = results["machine"]
    lines = [
        f"Date: {results['date']}  ",
        f"Machine: {m['nproc']} cores, {m['cpu']}, {m['memory_gib']} GiB, Linux {m['kernel']}, "
        f"load average at start {m['load'][0]:.2f}  ",
        f"Command: `{results['command']}`  ",
        f"Terraform: {results['terraform']}; pyvider {results['versions']['pyvider']}, "
        f"pyvider-components {results['versions']['pyvider-components']}, client grpcio {results['versions']['grpcio']}",
        "",
    ]
    keys = [p["key"] for p in peers]
    header = ["Measurement"] + [results["peers"][k]["label"] for k in keys] \
        + ["target (and the issue's figures for this machine, not measured here)"]
    rows = []

    def row(name, values, target=""):
        rows.append([name] + values + [target])

    def each(function):
        return [function(results["peers"][k]) for k in keys]

    row(f"1. spawn → handshake line, AutoMTLS, min / median ({spawn_runs} runs after 3 untimed)",
        each(lambda e: f"{ms(e['spawn']['min_ms'])} / {ms(e['spawn']['median_ms'])}"),
        "median < 10 ms (terraform-plugin-go provider 21 ms, pyvider 600 ms)")
    row("2. max RSS (VmHWM) right after the handshake line", each(lambda e: mib(e["grpc"]["hwm_handshake_kib"])),
        "(terraform-plugin-go provider 18 MB at handshake)")
    row("2. max RSS (VmHWM) after one GetProviderSchema over mTLS", each(lambda e: mib(e["grpc"]["hwm_schema_kib"])),
        "< 20 MB (pyvider 90 MB)")
    row("3. GetProviderSchema, first call (includes the TLS handshake)", each(lambda e: ms(e["grpc"]["first_call_ms"])))
    row(f"3. GetProviderSchema median / p99 ({calls} calls, one connection; Go client)",
        each(lambda e: f"{ms(e['grpc']['median_ms'], 3)} / {ms(e['grpc']['p99_ms'], 3)}"))
    row(f"3. the same with a Python grpcio client",
        each(lambda e: f"{ms(e['grpc_python']['median_ms'], 3)} / {ms(e['grpc_python']['p99_ms'], 3)}"
             if "grpc_python" in e else "n/a: BoringSSL refuses its server certificate (Ed25519, P-521)"))
    row("   schema response size; resource types; protocol",
        each(lambda e: f"{e['grpc']['response_bytes']} B; {e['grpc']['resource_types']}; v{e['grpc']['protocol']}"))
    for index, count in enumerate(sizes):
        def apply_cell(entry, index=index):
            if "apply" not in entry:
                return "– (serves only GetProviderSchema)"
            run = entry["apply"][index]
            if run.get("skipped"):
                return f"not run: capped (~{run['estimate_s']:.0f} s extrapolated from the size before)"
            if run.get("timed_out"):
                return f"> {run['seconds']:.0f} s (stopped at the cap)"
            text = f"{run['seconds']:.2f} s"
            if run["exit"] != 0 or run["created"] != count:
                text += f" (FAILED: exit {run['exit']}, {run['created']} created)"
            return text
        row(f"4. terraform apply, {count} timed token{'s' if count > 1 else ''} (count = {count})", each(apply_cell))

    def split_cell(entry):
        split = entry.get("split")
        if not split:
            return "–"
        if split.get("exit") != 0 or "provider_cpu_s" not in split:
            return "failed"
        return (f"{split['count']} tokens: {split['seconds']:.2f} s wall; CPU {split['cpu_s']:.2f} s, "
                f"of which providers {split['provider_cpu_s']:.2f} s in {split['provider_launches']} launches "
                f"(max RSS {mib(split['provider_max_rss_kib'])})")
    row("4. where the time goes: the largest apply again, provider under /usr/bin/time", each(split_cell))
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]

    s = results["sealing"]
    lines += ["", "5. Sealing (turso; XChaCha20-Poly1305 via libsodium; turso_timed_token's fields; release build; "
              "median of batches, best batch in brackets):", "", "| Measurement | turso |", "|---|---|"]
    for name, label in [("seal_sodium", "seal, per operation"), ("open_sodium", "open, per operation"),
                        ("seal_plain_json", "plain JSON encode (the format without sealing), per operation"),
                        ("open_plain_json", "plain JSON decode, per operation"),
                        ("derive_key", "key derivation (once per provider process)")]:
        lines.append(f"| {label} | {s[name]['median_ns'] / 1000:.2f} µs ({s[name]['min_ns'] / 1000:.2f} µs) |")
    lines.append(f"| private state per resource, sealed / plain | {s['blob_bytes']['sealed']} B / {s['blob_bytes']['plain']} B |")
    pairs = s["apply_pairs"]
    sealed = [p["sealed"] for p in pairs if p["sealed"].get("exit") == 0 and "provider_cpu_s" in p["sealed"]]
    plain = [p["plain"] for p in pairs if p["plain"].get("exit") == 0 and "provider_cpu_s" in p["plain"]]
    count = s["apply_count"]

    def runs(values):
        return ", ".join(f"{run['seconds']:.2f} s (CPU {run['cpu_s']:.2f} s, providers' {run['provider_cpu_s']:.2f} s)"
                         for run in values)
    lines.append(f"| terraform apply, {count} timed tokens, sealing on (each run; in pairs with the next row, "
                 "sealed first in odd pairs, plain first in even ones) | "
                 + runs(sealed) + " |")
    lines.append(f"| terraform apply, {count} timed tokens, plain private state (build with "
                 "-DTURSO_BENCHMARK_PLAIN_PRIVATE_STATE) | " + runs(plain) + " |")
    if sealed and plain:
        added = statistics.median(r["seconds"] for r in sealed) - statistics.median(r["seconds"] for r in plain)
        added_cpu = statistics.median(r["provider_cpu_s"] for r in sealed) \
            - statistics.median(r["provider_cpu_s"] for r in plain)
        expected = count * (s["seal_sodium"]["median_ns"] - s["seal_plain_json"]["median_ns"]) / 1e6
        lines.append(f"| added time of sealing, wall: median sealed − median plain (noise included) | {added:+.2f} s |")
        added_total = statistics.median(r["cpu_s"] for r in sealed) - statistics.median(r["cpu_s"] for r in plain)
        lines.append(f"| added CPU time, Terraform and providers: median sealed − median plain | {added_total:+.2f} s |")
        lines.append(f"| added CPU time, providers only (/usr/bin/time, 10 ms resolution): median sealed − median plain "
                     f"| {added_cpu * 1000:+.0f} ms |")
        lines.append(f"| added time of sealing expected from the micro-benchmark: {count} × (seal − plain encode) "
                     f"| {expected:+.2f} ms |")
    failures = [(k, r) for k in keys for r in results["peers"][k].get("apply", []) if r.get("error_tail")]
    failures += [("turso seal pair", p[w]) for p in pairs for w in ("sealed", "plain") if p[w].get("error_tail")]
    for key, run in failures:
        lines += ["", f"{key}, apply of {run['count']} failed; end of its output:", "```", run["error_tail"], "```"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
