#!/usr/bin/env bash
# Builds the sandbox's control plane from the published Kubernetes modules pinned in go.mod: kube-apiserver,
# kube-controller-manager, kubectl (upstream main packages) and etcd (etcd/main.go), into the directory given
# (default: .sandbox/bin at the repository root). Go's build cache makes a second build compile nothing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../.sandbox/bin}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

GO="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
[ -x "$GO" ] || { echo "Go 1.26 or newer is needed to build the control plane (https://go.dev/dl/)" >&2; exit 1; }
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0

# The release the go.mod pins, and its publication time: the servers report these (kubectl version, /version),
# and the chart's kubeVersion check reads them; without them the server says v0.0.0.
release=v1.37.2
build_date=2026-10-27T12:01:04Z
major=1
minor=37
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$release -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date -X $pkg.gitCommit=$release"
done

cd "$here"
for cmd in kube-apiserver kube-controller-manager kubectl; do
  "$GO" build -trimpath -ldflags "$ldflags" -o "$out/$cmd" "k8s.io/kubernetes/cmd/$cmd"
done
for tool in etcd pki; do
  "$GO" build -trimpath -ldflags "-s -w" -o "$out/$tool" "./$tool"
done
