// The gRPC client of scripts/benchmark for measurements 2 and 3, built like
// Terraform's own plugin client (go-plugin's AutoMTLS: a fresh P-521 client
// certificate in PLUGIN_CLIENT_CERT, the server certificate from the
// handshake line as the only root, server name "localhost", grpc-go over the
// Unix socket). Every provider is measured with this one client, so the
// numbers compare; a Python grpcio client cannot be used for all of them,
// because BoringSSL refuses go-plugin's P-521 server certificate.
//
//	benchmark-client -calls 200 PLUGIN_BINARY
//
// Launches the plugin (environment: this process's PATH and HOME, plus
// what Terraform sets), records VmHWM right after the handshake line, calls
// GetProviderSchema once (that call includes the TLS handshake), records
// VmHWM again and the time from start to that first answer, then times
// `calls` more calls on the same connection (none with -calls 0), and
// prints one JSON object. The plugin is stopped with SIGTERM (SIGKILL after
// 5 s) and a socket it leaves behind is removed.
package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"math"
	"math/big"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"benchpeer/tfplugin6"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/proto"
)

const magicCookie = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

// stop ends the launched plugin; set once it runs. fail calls it because
// os.Exit skips deferred calls.
var stop = func() {}

func fail(format string, arguments ...interface{}) {
	fmt.Fprintf(os.Stderr, "benchmark-client: "+format+"\n", arguments...)
	stop()
	os.Exit(1)
}

// clientCertificate makes a self-signed P-521 certificate as go-plugin does.
func clientCertificate() (tls.Certificate, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		fail("key: %v", err)
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	template := x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-30 * time.Second), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		IsCA:        true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, &template, &template, &key.PublicKey, key)
	if err != nil {
		fail("certificate: %v", err)
	}
	certificate := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return certificate, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func vmHWM(pid int) int {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fields := strings.Fields(line)
			kib, _ := strconv.Atoi(fields[1])
			return kib
		}
	}
	return -1
}

func main() {
	calls := flag.Int("calls", 200, "timed GetProviderSchema calls after the first")
	flag.Parse()
	if flag.NArg() != 1 {
		fail("usage: benchmark-client [-calls N] PLUGIN_BINARY")
	}
	certificate, certificatePEM := clientCertificate()
	socketDir, err := os.MkdirTemp("", "bench-client-")
	if err != nil {
		fail("%v", err)
	}

	command := exec.Command(flag.Arg(0))
	command.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"TF_PLUGIN_MAGIC_COOKIE=" + magicCookie, "PLUGIN_PROTOCOL_VERSIONS=5,6",
		"PLUGIN_CLIENT_CERT=" + string(certificatePEM), "PLUGIN_UNIX_SOCKET_DIR=" + socketDir,
	}
	stdout, err := command.StdoutPipe()
	if err != nil {
		fail("%v", err)
	}
	launched := time.Now()
	if err := command.Start(); err != nil {
		fail("start %s: %v", flag.Arg(0), err)
	}
	var socket string
	stop = func() {
		command.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { command.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			command.Process.Kill()
			<-done
		}
		if socket != "" {
			os.Remove(socket)
		}
		os.RemoveAll(socketDir)
	}

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		fail("no handshake line: %v", err)
	}
	fields := strings.Split(strings.TrimSpace(line), "|")
	if len(fields) < 6 || fields[2] != "unix" {
		fail("unexpected handshake line %q", line)
	}
	socket = fields[3]
	handshake := float64(time.Since(launched).Nanoseconds()) / 1e6
	result := map[string]interface{}{"protocol": fields[1], "hwm_handshake_kib": vmHWM(command.Process.Pid), "handshake_ms": handshake}

	serverDER, err := base64.RawStdEncoding.DecodeString(fields[5])
	if err != nil {
		fail("server certificate: %v", err)
	}
	serverCertificate, err := x509.ParseCertificate(serverDER)
	if err != nil {
		fail("server certificate: %v", err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(serverCertificate)
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{certificate}, RootCAs: roots, ServerName: "localhost"}
	connection, err := grpc.Dial("unix:"+socket,
		grpc.WithTransportCredentials(credentials.NewTLS(tlsConfig)),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(math.MaxInt32), grpc.MaxCallSendMsgSize(math.MaxInt32)))
	if err != nil {
		fail("dial: %v", err)
	}
	provider := tfplugin6.NewProviderClient(connection)

	call := func() (*tfplugin6.GetProviderSchema_Response, float64) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		started := time.Now()
		response, err := provider.GetProviderSchema(ctx, &tfplugin6.GetProviderSchema_Request{})
		elapsed := float64(time.Since(started).Nanoseconds()) / 1e6
		if err != nil {
			fail("GetProviderSchema: %v", err)
		}
		return response, elapsed
	}
	response, first := call()
	result["first_call_ms"] = first
	// What Terraform waits for in all: start, handshake, its own dial and TLS
	// handshake, and the first answer. Work a plugin does after its
	// handshake line shows here, not in handshake_ms.
	result["spawn_to_first_answer_ms"] = float64(time.Since(launched).Nanoseconds()) / 1e6
	result["hwm_schema_kib"] = vmHWM(command.Process.Pid)
	result["resource_types"] = len(response.ResourceSchemas)
	result["response_bytes"] = proto.Size(response)
	errors := []string{}
	for _, diagnostic := range response.Diagnostics {
		if diagnostic.Severity == tfplugin6.Diagnostic_ERROR {
			errors = append(errors, diagnostic.Summary)
		}
	}
	result["errors"] = errors
	latencies := make([]float64, *calls)
	for index := range latencies {
		_, latencies[index] = call()
	}
	if len(latencies) == 0 {
		// -calls 0: start-up only.
		latencies = []float64{first}
	}
	sort.Float64s(latencies)
	median := latencies[len(latencies)/2]
	if len(latencies)%2 == 0 {
		median = (latencies[len(latencies)/2-1] + latencies[len(latencies)/2]) / 2
	}
	// Nearest rank.
	p99 := latencies[int(math.Ceil(0.99*float64(len(latencies))))-1]
	result["calls"], result["median_ms"], result["p99_ms"] = *calls, median, p99
	result["hwm_after_calls_kib"] = vmHWM(command.Process.Pid)
	connection.Close()
	stop()
	encoded, _ := json.Marshal(result)
	fmt.Println(string(encoded))
}
