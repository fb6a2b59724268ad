// pulumi-resource-kubernetes for the e2e harness.
//
// Upstream's cmd/pulumi-resource-kubernetes embeds schema files that its Makefile generates
// (schema-embed.json, terraform-mapping-embed.json), so that package cannot be built from the module
// as published. This main serves the same provider (pkg/provider.Serve) with the schema.json and
// terraform-mapping.json that the module does commit; build-tools.sh copies them next to this file
// before building (they are not committed here).
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var schema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, schema, terraformMapping)
}
