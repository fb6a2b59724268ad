// Command standin is the live tier's contract stand-in for the platform's in-house services (one
// image, tagged for all eleven). It keeps the contract the program relies on: HTTP on $HTTP_PORT
// (8080) with /health, Prometheus metrics on $METRICS_PORT (9090) at /metrics. At start it connects
// to every dependency its environment names, with the credentials it was given, and reports Ready
// only when all of them answered: a pod of it that turns Ready proves that the program wired each
// dependency's address, credentials and network path correctly.
package main

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// A check dials one dependency named by the environment and returns nil when it answered as a
// client with those credentials expects.
type check struct {
	name string
	run  func(ctx context.Context) error
}

type state struct {
	mu      sync.Mutex
	results map[string]error
	ready   bool
}

func (s *state) set(results map[string]error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results = results
	s.ready = true
	for _, err := range results {
		if err != nil {
			s.ready = false
		}
	}
}

func (s *state) snapshot() (map[string]error, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.results, s.ready
}

func main() {
	service := envOr("SERVICE_NAME", envOr("HOSTNAME", "standin"))
	checks := checksFromEnv(os.Getenv)
	names := make([]string, 0, len(checks))
	for _, c := range checks {
		names = append(names, c.name)
	}
	log.Printf("standin for %s: %d dependencies from the environment: %s", service, len(checks), strings.Join(names, ", "))

	st := &state{results: map[string]error{}}
	metrics := newMetrics()
	go probeLoop(st, checks)

	app := http.NewServeMux()
	app.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		results, ready := st.snapshot()
		code := http.StatusOK
		if !ready {
			code = http.StatusServiceUnavailable
		}
		metrics.observe(r.URL.Path, code)
		w.WriteHeader(code)
		fmt.Fprint(w, report(results))
	})
	app.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		metrics.observe("/", http.StatusOK)
		fmt.Fprintf(w, "%s stand-in\n", service)
	})
	mon := http.NewServeMux()
	mon.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		results, _ := st.snapshot()
		metrics.write(w, results)
	})
	go serve(":"+envOr("METRICS_PORT", "9090"), mon)
	serve(":"+envOr("HTTP_PORT", "8080"), app)
}

// probeLoop runs every check until all pass, then re-checks every 30 s so that a dependency that
// goes away turns the pod unready again. Each round is bounded by a timeout per check.
func probeLoop(st *state, checks []check) {
	for {
		results := map[string]error{}
		for _, c := range checks {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err := c.run(ctx)
			cancel()
			results[c.name] = err
			prev, _ := st.snapshot()
			if err != nil {
				log.Printf("dependency %s: FAILED: %v", c.name, err)
			} else if prev[c.name] != nil || len(prev) == 0 {
				log.Printf("dependency %s: ok", c.name)
			}
		}
		st.set(results)
		_, ready := st.snapshot()
		if ready {
			time.Sleep(30 * time.Second)
		} else {
			time.Sleep(3 * time.Second)
		}
	}
}

func report(results map[string]error) string {
	keys := make([]string, 0, len(results))
	for k := range results {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		if results[k] == nil {
			fmt.Fprintf(&b, "%s ok\n", k)
		} else {
			fmt.Fprintf(&b, "%s FAILED: %v\n", k, results[k])
		}
	}
	return b.String()
}

func serve(addr string, h http.Handler) {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
