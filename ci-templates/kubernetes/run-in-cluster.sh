#!/bin/sh
# Gate a merge request's build in a review namespace (the script of the
# perfgate-cluster job in perfgate-cluster.gitlab-ci.yml):
#   1. deploy the build (PERFGATE_APP_MANIFESTS, with PERFGATE_APP_IMAGE)
#      into PERFGATE_NAMESPACE and wait for the rollout;
#   2. find the pod to gate (PERFGATE_SELECTOR) and its node;
#   3. run perfgate's Job there (perfgate-rbac.yaml, perfgate-job.yaml),
#      attached to that pod;
#   4. copy its reports back into PERFGATE_REPORT_DIR;
#   5. compare the result with the baseline of the reference commit and
#      exit with perfgate's status (0 pass, 1 regression, 2 input, 3
#      infrastructure, 4 no baseline).
# Needs kubectl (with access to the namespace), envsubst, git, jq, perfgate.
set -eu

: "${PERFGATE_NAMESPACE:?set it (the review namespace)}"
: "${PERFGATE_DEPLOYMENT:?set it (the deployment to roll out)}"
: "${PERFGATE_SELECTOR:?set it (labels of the pod to gate, e.g. app=orders-api)}"
: "${PERFGATE_CONTAINER:?set it (the container to gate in that pod)}"
: "${PERFGATE_SCENARIO:?set it (the scenario name of its baselines)}"
: "${PERFGATE_APP_MANIFESTS:?set it (a directory of the app manifests)}"
: "${PERFGATE_APP_IMAGE:?set it (the merge request build image)}"
: "${PERFGATE_IMAGE:?set it (an image with perfgate, wrk and its load script)}"
: "${PERFGATE_KUBECTL_IMAGE:?set it (an image with kubectl)}"
here=$(cd "$(dirname "$0")" && pwd)
out=${PERFGATE_REPORT_DIR:-perfgate-report}
config=${PERFGATE_CONFIG:-perfgate.json}
export PERFGATE_NAMESPACE PERFGATE_CONTAINER PERFGATE_SCENARIO PERFGATE_APP_IMAGE \
	PERFGATE_IMAGE PERFGATE_KUBECTL_IMAGE

k() { kubectl --namespace "$PERFGATE_NAMESPACE" "$@"; }
# Only perfgate's variables: the manifests' own "$" stay as they are.
# shellcheck disable=SC2016 # the names are for envsubst, not the shell
subst() {
	envsubst '$PERFGATE_NAMESPACE $PERFGATE_POD $PERFGATE_NODE $PERFGATE_CONTAINER
		$PERFGATE_SCENARIO $PERFGATE_IMAGE $PERFGATE_KUBECTL_IMAGE $PERFGATE_APP_IMAGE' <"$1"
}
die() { # STATUS MESSAGE
	echo "perfgate-cluster: $2" >&2
	exit "$1"
}

# 1. The build under test.
kubectl create namespace "$PERFGATE_NAMESPACE" --dry-run=client -o yaml | kubectl apply -f -
for f in "$PERFGATE_APP_MANIFESTS"/*.yaml; do
	subst "$f"
	echo ---
done | k apply -f -
k rollout status "deployment/$PERFGATE_DEPLOYMENT" --timeout=300s ||
	die 3 "deployment $PERFGATE_DEPLOYMENT did not roll out; see 'kubectl -n $PERFGATE_NAMESPACE describe deployment $PERFGATE_DEPLOYMENT'"

# 2. The pod and its node.
PERFGATE_POD=$(k get pods -l "$PERFGATE_SELECTOR" --field-selector=status.phase=Running \
	-o jsonpath='{.items[0].metadata.name}')
[ -n "$PERFGATE_POD" ] || die 3 "no running pod matches '$PERFGATE_SELECTOR'"
PERFGATE_NODE=$(k get pod "$PERFGATE_POD" -o jsonpath='{.spec.nodeName}')
export PERFGATE_POD PERFGATE_NODE
echo "perfgate-cluster: gating pod $PERFGATE_POD on node $PERFGATE_NODE"

# 3. perfgate's Job on that node (a previous run's goes first).
k delete job perfgate --ignore-not-found --wait=true
subst "$here/perfgate-rbac.yaml" | k apply -f -
subst "$here/perfgate-job.yaml" | k apply -f -
k wait --for=condition=Ready pod -l job-name=perfgate --timeout=600s ||
	die 3 "perfgate's Job did not start; see 'kubectl -n $PERFGATE_NAMESPACE describe job perfgate'"
jobpod=$(k get pods -l job-name=perfgate -o jsonpath='{.items[0].metadata.name}')
waited=0
until k exec "$jobpod" -c perfgate -- cat /reports/status >/dev/null 2>&1; do
	[ "$waited" -lt 1800 ] || die 3 "perfgate did not finish within 30 min"
	sleep 5
	waited=$((waited + 5))
done

# 4. The reports, then let the Job's container go.
mkdir -p "$out"
k cp -c perfgate "$jobpod:/reports" "$out"
k exec "$jobpod" -c perfgate -- touch /reports/.copied
k logs "$jobpod" -c perfgate >"$out/perfgate.log" 2>&1 || true
status=$(cat "$out/status")
[ "$status" -eq 0 ] || die "$status" "perfgate capture failed: $(tail -n 1 "$out/perfgate.log")"

# 5. The baseline a check from the reference commit would use, and the
# comparison (its exit status is the job's).
ref=${CI_MERGE_REQUEST_DIFF_BASE_SHA:-$(git merge-base HEAD "origin/${CI_DEFAULT_BRANCH:-main}")}
rc=0
perfgate baseline show "$ref" -c "$config" -s "$PERFGATE_SCENARIO" >"$out/baseline.txt" || rc=$?
[ "$rc" -eq 0 ] || die "$rc" "no baseline for $ref; record one on the target branch"
base=$(awk 'NR == 1 { print $2 }' "$out/baseline.txt")
dir=$(jq -r '.baselines_dir // "baselines"' "$config")
git show "$ref:$dir/$PERFGATE_SCENARIO/$base.json" >"$out/baseline.json"
for f in junit:junit.xml markdown:summary.md openmetrics:metrics.txt; do
	perfgate compare "$out/baseline.json" "$out/result.json" -c "$config" \
		--format "${f%%:*}" >"$out/${f#*:}" || true
done
exec perfgate compare "$out/baseline.json" "$out/result.json" -c "$config"
