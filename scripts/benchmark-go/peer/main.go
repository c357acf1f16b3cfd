// The Go peer of scripts/benchmark: the smallest tfplugin6 provider served
// the way terraform-plugin-go serves one (go-plugin's Serve with AutoMTLS, a
// grpc-go server with a 256 MiB receive limit), so spawn time, memory and
// GetProviderSchema latency can be set beside ours on the same machine.
//
// Built by scripts/benchmark in GOPATH mode from Debian's Go packages only
// (go-plugin 1.0.1, grpc-go 1.33, protobuf-go 1.28); the tfplugin6 stubs are
// generated from proto/tfplugin6.proto at build time and never committed.
// It is not terraform-plugin-go itself (Debian does not package it), and
// it answers only GetProviderSchema: other calls are UNIMPLEMENTED.
package main

import (
	"context"
	"errors"

	"benchpeer/tfplugin6"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

type provider struct {
	tfplugin6.UnimplementedProviderServer
	schema *tfplugin6.GetProviderSchema_Response
}

func (p *provider) GetProviderSchema(context.Context, *tfplugin6.GetProviderSchema_Request) (*tfplugin6.GetProviderSchema_Response, error) {
	return p.schema, nil
}

// The same attributes as turso_timed_token, so the response is of a
// comparable size and shape.
func timedTokenSchema() *tfplugin6.Schema {
	attribute := func(name, typeJSON string, required, optional, computed, sensitive bool, description string) *tfplugin6.Schema_Attribute {
		return &tfplugin6.Schema_Attribute{Name: name, Type: []byte(typeJSON), Required: required, Optional: optional,
			Computed: computed, Sensitive: sensitive, Description: description}
	}
	return &tfplugin6.Schema{Block: &tfplugin6.Schema_Block{
		Description: "A locally minted, time-limited token. Once the token has expired (or is within renew_before of expiring), the next plan replaces it.",
		Attributes: []*tfplugin6.Schema_Attribute{
			attribute("name", `"string"`, true, false, false, false, "A name for the token, for your own reference. Changing it replaces the token."),
			attribute("ttl", `"string"`, false, true, true, false, "How long the token lives, as a duration such as 90s, 30m or 1h30m. Defaults to 1h."),
			attribute("renew_before", `"string"`, false, true, true, false, "How long before expires_at the token is replaced. Defaults to 0s."),
			attribute("triggers", `["map","string"]`, false, true, false, false, "Arbitrary values that, when changed, replace the token."),
			attribute("id", `"string"`, false, false, true, false, "The token's identifier."),
			attribute("token", `"string"`, false, false, true, true, "The token value, minted at apply."),
			attribute("expires_at", `"string"`, false, false, true, false, "When the token expires, as an RFC 3339 timestamp in UTC."),
		},
	}}
}

type providerPlugin struct{ plugin.NetRPCUnsupportedPlugin }

func (providerPlugin) GRPCServer(_ *plugin.GRPCBroker, server *grpc.Server) error {
	schema := &tfplugin6.GetProviderSchema_Response{
		Provider:        &tfplugin6.Schema{Block: &tfplugin6.Schema_Block{}},
		ResourceSchemas: map[string]*tfplugin6.Schema{"gopeer_timed_token": timedTokenSchema()},
	}
	tfplugin6.RegisterProviderServer(server, &provider{schema: schema})
	return nil
}

func (providerPlugin) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, errors.New("the benchmark peer is a server only")
}

func main() {
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			MagicCookieKey:   "TF_PLUGIN_MAGIC_COOKIE",
			MagicCookieValue: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
		},
		VersionedPlugins: map[int]plugin.PluginSet{6: {"provider": providerPlugin{}}},
		GRPCServer: func(options []grpc.ServerOption) *grpc.Server {
			return grpc.NewServer(append(options, grpc.MaxRecvMsgSize(256<<20))...)
		},
	})
}
