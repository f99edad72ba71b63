#!/usr/bin/env bash
# Checks the deployment files without a container engine or a cluster (run from the repository root; .ci/run calls it):
#   1. docker-compose.yml parses and resolves (Debian's docker-compose 1.29: `config` needs no engine);
#   2. the kustomization in deploy/kubernetes builds (kubectl kustomize);
#   3. every object it builds is valid against the Kubernetes schemas (offline, npm package kubernetes-models:
#      deploy/validate/validate.mjs); a known-bad Deployment is validated first and must be refused;
#   4. deploy/prometheus/alerts.yml is valid Prometheus rules (promtool check rules). That every metric the rules
#      name is exported is tested by AlertRulesTests in tests/MonitorService.Tests.
# SKIP_KUBERNETES=1 skips 2 and 3 (for machines without kubectl; .ci/run sets it and says so). Needs: docker-compose,
# kubectl, node + npm, promtool (Debian packages docker-compose, nodejs, npm, prometheus; kubectl is not packaged).
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "deploy/check.sh: '$1' is not installed ($2)" >&2
    exit 1
  fi
}

echo "-- docker-compose.yml"
need docker-compose "apt-get install -y docker-compose"
docker-compose -f docker-compose.yml config -q

if [ "${SKIP_KUBERNETES:-}" = 1 ]; then
  echo "-- deploy/kubernetes: SKIPPED (SKIP_KUBERNETES=1): kustomization not built, schemas not checked"
else
  echo "-- deploy/kubernetes: kustomize build"
  need kubectl "install kubectl (https://kubernetes.io/docs/tasks/tools/), or set SKIP_KUBERNETES=1 to skip the Kubernetes checks"
  need npm "apt-get install -y nodejs npm"
  built=$(mktemp)
  trap 'rm -f "$built"' EXIT
  kubectl kustomize deploy/kubernetes >"$built"

  echo "-- deploy/kubernetes: schema validation (kubernetes-models)"
  (cd deploy/validate && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  # Self-check: the validator must refuse a Deployment with a string replica count.
  if node deploy/validate/validate.mjs >/dev/null 2>&1 <<'BAD'
apiVersion: apps/v1
kind: Deployment
metadata: {name: known-bad}
spec:
  replicas: "two"
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers: [{name: x, image: x}]
BAD
  then
    echo "deploy/check.sh: the schema validator accepted a known-bad Deployment; it checks nothing" >&2
    exit 1
  fi
  node deploy/validate/validate.mjs <"$built"
fi

echo "-- deploy/prometheus/alerts.yml"
need promtool "apt-get install -y --no-install-recommends prometheus"
promtool check rules deploy/prometheus/alerts.yml
echo "deployment files OK"
