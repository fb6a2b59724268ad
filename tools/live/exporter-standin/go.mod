// The live tier's stand-in for the metrics exporters whose modules the Go proxy does not serve
// (oliver006/redis_exporter, nats-io/prometheus-nats-exporter): standard library only.
module voicehelper.local/live/exporter-standin

go 1.26.8
