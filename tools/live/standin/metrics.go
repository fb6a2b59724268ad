package main

import (
	"fmt"
	"io"
	"sort"
	"sync"
)

// metrics: the series the platform's alert rules and dashboards read from an in-house service
// (http_requests_total by status), plus one gauge per dependency the stand-in checked.
type metrics struct {
	mu       sync.Mutex
	requests map[[2]string]int
}

func newMetrics() *metrics { return &metrics{requests: map[[2]string]int{}} }

func (m *metrics) observe(path string, code int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{path, fmt.Sprint(code)}]++
}

func (m *metrics) write(w io.Writer, deps map[string]error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# TYPE http_requests_total counter")
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		fmt.Fprintf(w, "http_requests_total{path=%q,status=%q} %d\n", k[0], k[1], m.requests[k])
	}
	fmt.Fprintln(w, "# TYPE standin_dependency_up gauge")
	names := make([]string, 0, len(deps))
	for n := range deps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		up := 0
		if deps[n] == nil {
			up = 1
		}
		fmt.Fprintf(w, "standin_dependency_up{dependency=%q} %d\n", n, up)
	}
}
