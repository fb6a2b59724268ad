package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/nats-io/nats.go"
	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
)

// checksFromEnv turns the env the program wires (components/layers/wiring.ts) into one check per
// dependency. A variable family that is present but incomplete is itself a failing check: the
// program promised a dependency and did not hand over what a client needs to use it.
func checksFromEnv(getenv func(string) string) []check {
	var out []check
	need := func(names ...string) error {
		var missing []string
		for _, n := range names {
			if getenv(n) == "" {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("env incomplete: %s unset", strings.Join(missing, ", "))
		}
		return nil
	}
	add := func(name string, required []string, run func(ctx context.Context) error) {
		out = append(out, check{name: name, run: func(ctx context.Context) error {
			if err := need(required...); err != nil {
				return err
			}
			return run(ctx)
		}})
	}

	if getenv("REDIS_ADDRS") != "" {
		add("redis", []string{"REDIS_MODE", "REDIS_PASSWORD"}, func(ctx context.Context) error {
			return checkRedis(ctx, getenv("REDIS_MODE"), strings.Split(getenv("REDIS_ADDRS"), ","), getenv("REDIS_PASSWORD"))
		})
	}
	if getenv("DATABASE_HOST") != "" {
		add("postgresql", []string{"DATABASE_PORT", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD"}, func(ctx context.Context) error {
			return checkPostgres(ctx, getenv)
		})
	}
	for _, prefix := range s3Prefixes(getenv) {
		p := prefix
		name := "s3"
		if p != "S3" {
			name = "s3:" + strings.ToLower(p)
		}
		add(name, []string{p + "_SECRET_KEY"}, func(ctx context.Context) error {
			return checkS3(ctx, getenv(p+"_URL"), getenv(p+"_ACCESS_KEY"), getenv(p+"_SECRET_KEY"), bucketsOf(getenv, p))
		})
	}
	if getenv("NATS_URL") != "" {
		add("nats", []string{"NATS_USERNAME", "NATS_PASSWORD"}, func(ctx context.Context) error {
			nc, err := nats.Connect(getenv("NATS_URL"), nats.UserInfo(getenv("NATS_USERNAME"), getenv("NATS_PASSWORD")), nats.Timeout(5*time.Second), nats.NoReconnect())
			if err != nil {
				return err
			}
			defer nc.Close()
			return nc.FlushTimeout(5 * time.Second)
		})
	}
	if getenv("RABBITMQ_HOST") != "" {
		add("rabbitmq", []string{"RABBITMQ_PORT", "RABBITMQ_VHOST", "RABBITMQ_USERNAME", "RABBITMQ_PASSWORD"}, func(ctx context.Context) error {
			u := url.URL{Scheme: "amqp", User: url.UserPassword(getenv("RABBITMQ_USERNAME"), getenv("RABBITMQ_PASSWORD")),
				Host: net.JoinHostPort(getenv("RABBITMQ_HOST"), getenv("RABBITMQ_PORT")), Path: "/" + getenv("RABBITMQ_VHOST")}
			conn, err := amqp.DialConfig(u.String(), amqp.Config{Dial: amqp.DefaultDial(5 * time.Second)})
			if err != nil {
				return err
			}
			defer conn.Close()
			ch, err := conn.Channel()
			if err != nil {
				return err
			}
			return ch.Close()
		})
	}
	if getenv("KAFKA_BOOTSTRAP_SERVERS") != "" {
		add("kafka", []string{"KAFKA_USERNAME", "KAFKA_PASSWORD"}, func(ctx context.Context) error {
			cl, err := kgo.NewClient(kgo.SeedBrokers(strings.Split(getenv("KAFKA_BOOTSTRAP_SERVERS"), ",")...),
				kgo.SASL(plain.Auth{User: getenv("KAFKA_USERNAME"), Pass: getenv("KAFKA_PASSWORD")}.AsMechanism()))
			if err != nil {
				return err
			}
			defer cl.Close()
			return cl.Ping(ctx)
		})
	}
	if getenv("ELASTICSEARCH_URL") != "" {
		add("elasticsearch", []string{"ELASTICSEARCH_USERNAME", "ELASTICSEARCH_PASSWORD"}, func(ctx context.Context) error {
			return httpStatus(ctx, http.MethodGet, strings.TrimRight(getenv("ELASTICSEARCH_URL"), "/")+"/_security/_authenticate",
				getenv("ELASTICSEARCH_USERNAME"), getenv("ELASTICSEARCH_PASSWORD"), nil)
		})
	}
	if getenv("NACOS_SERVER_ADDR") != "" {
		add("nacos", []string{"NACOS_USERNAME", "NACOS_PASSWORD"}, func(ctx context.Context) error {
			form := url.Values{"username": {getenv("NACOS_USERNAME")}, "password": {getenv("NACOS_PASSWORD")}}
			return httpStatus(ctx, http.MethodPost, "http://"+getenv("NACOS_SERVER_ADDR")+"/nacos/v1/auth/login", "", "", strings.NewReader(form.Encode()))
		})
	}
	// Bolt and Milvus' gRPC need their vendors' drivers; the stand-in proves the path, not the login.
	for _, v := range []string{"NEO4J_URI", "MILVUS_URI"} {
		if raw := getenv(v); raw != "" {
			name := strings.ToLower(strings.TrimSuffix(v, "_URI")) + " (tcp only)"
			add(name, nil, func(ctx context.Context) error { return dialURI(ctx, raw) })
		}
	}
	for _, v := range serviceURLs(getenv) {
		name := v
		add(strings.ToLower(strings.TrimSuffix(name, "_URL")), nil, func(ctx context.Context) error {
			return httpStatus(ctx, http.MethodGet, strings.TrimRight(getenv(name), "/")+"/health", "", "", nil)
		})
	}
	return out
}

// environ lists the names of the process environment (the getenv seam keeps checks testable).
var environ = os.Environ

func envNames() []string {
	var names []string
	for _, kv := range environ() {
		if i := strings.IndexByte(kv, '='); i > 0 {
			names = append(names, kv[:i])
		}
	}
	sort.Strings(names)
	return names
}

// s3Prefixes: every <P> with <P>_URL and <P>_ACCESS_KEY (objectStoreEnv's shape).
func s3Prefixes(getenv func(string) string) []string {
	var out []string
	for _, n := range envNames() {
		if p, ok := strings.CutSuffix(n, "_ACCESS_KEY"); ok && getenv(p+"_URL") != "" {
			out = append(out, p)
		}
	}
	return out
}

func bucketsOf(getenv func(string) string, prefix string) []string {
	var out []string
	for _, n := range envNames() {
		if strings.HasPrefix(n, prefix+"_BUCKET_") && getenv(n) != "" {
			out = append(out, getenv(n))
		}
	}
	return out
}

// serviceURLs: the other in-house services (<SERVICE>_URL over http), not the stores' URLs.
func serviceURLs(getenv func(string) string) []string {
	stores := map[string]bool{"ELASTICSEARCH_URL": true, "NATS_URL": true}
	var out []string
	for _, n := range envNames() {
		if !strings.HasSuffix(n, "_URL") || stores[n] || !strings.HasPrefix(getenv(n), "http://") {
			continue
		}
		if getenv(strings.TrimSuffix(n, "_URL")+"_ACCESS_KEY") != "" {
			continue
		}
		out = append(out, n)
	}
	return out
}

func checkPostgres(ctx context.Context, getenv func(string) string) error {
	port, err := strconv.Atoi(getenv("DATABASE_PORT"))
	if err != nil {
		return fmt.Errorf("DATABASE_PORT %q is not a port", getenv("DATABASE_PORT"))
	}
	cfg, err := pgx.ParseConfig("sslmode=prefer connect_timeout=5")
	if err != nil {
		return err
	}
	cfg.Host, cfg.Port, cfg.Database = getenv("DATABASE_HOST"), uint16(port), getenv("DATABASE_NAME")
	cfg.User, cfg.Password = getenv("DATABASE_USER"), getenv("DATABASE_PASSWORD")
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var user, db string
	if err := conn.QueryRow(ctx, "select current_user, current_database()").Scan(&user, &db); err != nil {
		return err
	}
	if user != cfg.User || db != cfg.Database {
		return fmt.Errorf("logged in as %s on %s, expected %s on %s", user, db, cfg.User, cfg.Database)
	}
	return nil
}

func checkS3(ctx context.Context, endpoint, access, secret string, buckets []string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return err
	}
	cl, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(access, secret, ""), Secure: u.Scheme == "https",
		Transport: &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}})
	if err != nil {
		return err
	}
	if len(buckets) == 0 {
		return fmt.Errorf("no bucket named in the environment")
	}
	for _, b := range buckets {
		for obj := range cl.ListObjects(ctx, b, minio.ListObjectsOptions{MaxKeys: 1}) {
			if obj.Err != nil {
				return fmt.Errorf("list %s: %w", b, obj.Err)
			}
			break
		}
	}
	return nil
}

// checkRedis: AUTH with the default user's password, PING; a Redis Cluster must also report ok.
func checkRedis(ctx context.Context, mode string, addrs []string, password string) error {
	var lastErr error
	for _, addr := range addrs {
		lastErr = func() error {
			d := net.Dialer{Timeout: 5 * time.Second}
			conn, err := d.DialContext(ctx, "tcp", strings.TrimSpace(addr))
			if err != nil {
				return err
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			rd := bufio.NewReader(conn)
			if reply, err := redisCall(conn, rd, "AUTH", password); err != nil || reply != "OK" {
				return fmt.Errorf("AUTH: %q %v", reply, err)
			}
			if reply, err := redisCall(conn, rd, "PING"); err != nil || reply != "PONG" {
				return fmt.Errorf("PING: %q %v", reply, err)
			}
			if mode == "cluster" {
				info, err := redisCall(conn, rd, "CLUSTER", "INFO")
				if err != nil || !strings.Contains(info, "cluster_state:ok") {
					return fmt.Errorf("CLUSTER INFO: %q %v", firstLine(info), err)
				}
			}
			return nil
		}()
		if lastErr == nil {
			return nil
		}
	}
	return lastErr
}

func redisCall(w io.Writer, rd *bufio.Reader, args ...string) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return "", err
	}
	line, err := rd.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	switch {
	case strings.HasPrefix(line, "+"):
		return line[1:], nil
	case strings.HasPrefix(line, "-"):
		return "", fmt.Errorf("%s", line[1:])
	case strings.HasPrefix(line, "$"):
		n, err := strconv.Atoi(line[1:])
		if err != nil || n < 0 {
			return "", fmt.Errorf("bad reply %q", line)
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(rd, buf); err != nil {
			return "", err
		}
		return string(buf[:n]), nil
	}
	return line, nil
}

func httpStatus(ctx context.Context, method, target, user, password string, body io.Reader) error {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return err
	}
	if user != "" {
		req.SetBasicAuth(user, password)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: HTTP %d", method, redact(target), resp.StatusCode)
	}
	return nil
}

func dialURI(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("cannot parse %q", raw)
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return err
	}
	return conn.Close()
}

func redact(target string) string {
	if u, err := url.Parse(target); err == nil {
		u.User = nil
		return u.String()
	}
	return target
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}
