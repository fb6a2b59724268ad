// Command trivy-iac runs Trivy's Kubernetes misconfiguration checks (the ones embedded in its
// trivy-checks dependency) over a folder of manifests and prints one JSON line per failed check.
// The Trivy CLI would also scan images and fetch a check bundle over the network; this wrapper
// uses only the scanner library and the checks compiled into it, so it runs offline.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/aquasecurity/trivy/pkg/iac/rego"
	"github.com/aquasecurity/trivy/pkg/iac/scanners/kubernetes"
)

type finding struct {
	File     string `json:"file"`
	Check    string `json:"check"`
	Severity string `json:"severity"`
	Title    string `json:"title"`
	Message  string `json:"message"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: trivy-iac <folder of Kubernetes manifests>")
		os.Exit(2)
	}
	scanner := kubernetes.NewScanner(
		rego.WithEmbeddedPolicies(true),
		rego.WithEmbeddedLibraries(true),
	)
	results, err := scanner.ScanFS(context.Background(), os.DirFS(os.Args[1]), ".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "trivy-iac:", err)
		os.Exit(1)
	}
	out := json.NewEncoder(os.Stdout)
	for _, result := range results.GetFailed() {
		rule := result.Rule()
		if err := out.Encode(finding{
			File:     result.Range().GetFilename(),
			Check:    rule.ID,
			Severity: string(rule.Severity),
			Title:    rule.Summary,
			Message:  result.Description(),
		}); err != nil {
			fmt.Fprintln(os.Stderr, "trivy-iac:", err)
			os.Exit(1)
		}
	}
}
