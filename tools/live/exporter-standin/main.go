// Command exporter-standin answers for a store's metrics exporter sidecar, configured exactly as the
// program configures the real one, so the live tier proves the sidecar's wiring: its credentials from
// the Secret, its address of the store over localhost, its port admitted to Prometheus and scraped.
// It exports only the availability series the alerts read, not the exporters' full metric sets.
//
//	redis mode (redis_exporter's settings): REDIS_ADDR=redis://127.0.0.1:<port>, REDIS_PASSWORD, listens on :9121;
//	/metrics reports redis_up (AUTH + PING against REDIS_ADDR), /health answers while it runs.
//	nats mode (prometheus-nats-exporter's flags): -port=<p> -path=<path> -varz <monitor URL>;
//	<path> reports gnatsd_varz_<field> for the numeric fields of the server's /varz.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"
)

func main() {
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		serveRedis(addr, os.Getenv("REDIS_PASSWORD"))
		return
	}
	port := flag.Int("port", 7777, "listen port")
	path := flag.String("path", "/metrics", "metrics path")
	varz := flag.Bool("varz", false, "export the server's /varz")
	flag.Parse()
	if !*varz || flag.NArg() != 1 {
		log.Fatal("usage: exporter-standin -port=P -path=/metrics -varz http://127.0.0.1:8222 (or REDIS_ADDR for redis mode)")
	}
	serveNats(*port, *path, flag.Arg(0))
}

func serveRedis(addr, password string) {
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" {
		log.Fatalf("REDIS_ADDR %q is not redis://host:port", addr)
	}
	http.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	http.HandleFunc("/metrics", func(w http.ResponseWriter, _ *http.Request) {
		up := 0
		if err := redisPing(u.Host, password); err == nil {
			up = 1
		} else {
			log.Printf("redis %s: %v", u.Host, err)
		}
		fmt.Fprintf(w, "# TYPE redis_up gauge\nredis_up %d\n", up)
	})
	log.Printf("redis mode: %s, listening on :9121", u.Host)
	log.Fatal(http.ListenAndServe(":9121", nil))
}

func redisPing(host, password string) error {
	conn, err := net.DialTimeout("tcp", host, 3*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(3 * time.Second))
	r := bufio.NewReader(conn)
	if password != "" {
		fmt.Fprintf(conn, "*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n", len(password), password)
		if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "+OK") {
			return fmt.Errorf("AUTH: %q %v", strings.TrimSpace(line), err)
		}
	}
	fmt.Fprint(conn, "*1\r\n$4\r\nPING\r\n")
	if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("PING: %q %v", strings.TrimSpace(line), err)
	}
	return nil
}

func serveNats(port int, path, monitor string) {
	client := &http.Client{Timeout: 3 * time.Second}
	http.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) {
		resp, err := client.Get(strings.TrimRight(monitor, "/") + "/varz")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		var varz map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&varz); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		server, _ := url.Parse(monitor)
		keys := make([]string, 0, len(varz))
		for k, v := range varz {
			if _, ok := v.(float64); ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "gnatsd_varz_%s{server_id=%q} %v\n", k, server.Scheme+"://"+server.Host, varz[k])
		}
	})
	log.Printf("nats mode: %s/varz, listening on :%d%s", monitor, port, path)
	log.Fatal(http.ListenAndServe(fmt.Sprintf(":%d", port), nil))
}
