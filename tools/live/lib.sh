#!/usr/bin/env bash
# Shared settings of the live tier (sourced). Addresses exist only inside the tier's network namespace.
# shellcheck disable=SC2034 # its variables are read by the scripts that source it
CACHE="${VOICEHELPER_E2E_CACHE:-$HOME/.cache/voicehelper-e2e}"
export VOICEHELPER_E2E_CACHE="$CACHE"
BIN="$CACHE/bin"
LIVE_CACHE="$CACHE/live"
RUN="${LIVE_RUN_DIR:-$LIVE_CACHE/run}"
PKI="$RUN/pki"
NETNS="${LIVE_NETNS:-vh-live}"
NETNS_PATH="/run/netns/$NETNS"
NODE_NAME=live-node
NODE_IP=10.87.0.1
NODE_SUBNET=10.87.0.0/24
POD_CIDR=10.88.0.0/16
SERVICE_CIDR=10.96.0.0/16
KUBERNETES_SVC_IP=10.96.0.1
API_PORT=6443
ETCD_PORT=2379
RUNC="$BIN/runc"
CNI_BIN=/usr/lib/cni
PAUSE_IMAGE=registry.k8s.io/pause:3.10.1

log() { printf '[live] %s\n' "$*" >&2; }
die() { printf '[live] FAILED: %s\n' "$*" >&2; exit 1; }
in_ns() { nsenter --net="$NETNS_PATH" -- "$@"; }
kctl() { in_ns "$BIN/kubectl" --kubeconfig "$RUN/admin.kubeconfig" "$@"; }
PROBE_IMAGE=voicehelper.local/live/probe:1
# The in-house images the live stack names (voicehelper:images of Pulumi.live.yaml).
LIVE_REGISTRY=ghcr.io/voicehelper
LIVE_TAG=1.0.0
IN_HOUSE="gateway algo-service voice-service frontend admin-portal bge-service faiss-service llm-proxy speech-service tts-service model-router"
DNS_SVC_IP=10.96.0.10
COREDNS_IMAGE=registry.k8s.io/coredns/coredns:v1.13.1
LOCAL_PATH_IMAGE=docker.io/rancher/local-path-provisioner:v0.0.30
HELPER_IMAGE=voicehelper.local/live/helper:1
