package main

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// fakeEnv installs env as the process environment seen by the checks.
func fakeEnv(t *testing.T, env map[string]string) func(string) string {
	t.Helper()
	prev := environ
	environ = func() []string {
		var kv []string
		for k, v := range env {
			kv = append(kv, k+"="+v)
		}
		return kv
	}
	t.Cleanup(func() { environ = prev })
	return func(k string) string { return env[k] }
}

func names(cs []check) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.name)
	}
	sort.Strings(out)
	return out
}

func TestOneCheckPerWiredDependency(t *testing.T) {
	getenv := fakeEnv(t, map[string]string{
		"HTTP_PORT": "8080", "METRICS_PORT": "9090",
		"REDIS_MODE": "standalone", "REDIS_ADDRS": "redis.storage.svc:6379", "REDIS_PASSWORD": "x",
		"S3_URL": "http://minio.storage.svc:9000", "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "s", "S3_BUCKET_DOCUMENTS": "documents",
		"NATS_URL": "nats://nats.storage.svc:4222", "NATS_USERNAME": "u", "NATS_PASSWORD": "p",
		"SPEECH_SERVICE_URL": "http://speech-service.apps.svc:8080",
		"POSTHOG_HOST": "https://us.i.posthog.com",
	})
	got := names(checksFromEnv(getenv))
	want := []string{"nats", "redis", "s3", "speech_service"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("checks %v, want %v", got, want)
	}
}

func TestIncompleteEnvFailsItsCheck(t *testing.T) {
	getenv := fakeEnv(t, map[string]string{"DATABASE_HOST": "pg", "DATABASE_PORT": "5432", "DATABASE_NAME": "knowledge"})
	cs := checksFromEnv(getenv)
	if len(cs) != 1 {
		t.Fatalf("want one postgresql check, got %v", names(cs))
	}
	err := cs[0].run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "DATABASE_USER") || !strings.Contains(err.Error(), "DATABASE_PASSWORD") {
		t.Fatalf("want an error naming the missing variables, got %v", err)
	}
}

func TestNoEnvNoChecks(t *testing.T) {
	getenv := fakeEnv(t, map[string]string{"HTTP_PORT": "8080"})
	if cs := checksFromEnv(getenv); len(cs) != 0 {
		t.Fatalf("want no checks, got %v", names(cs))
	}
}
