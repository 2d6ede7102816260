#!/usr/bin/env bash
# Every Kubernetes manifest under ci-templates/kubernetes/ validates against
# the API schemas of the kubernetes-models packages (npm, installed into
# build/npm by scripts/install-deps.sh), and broken copies are rejected, so
# this test can fail. The cluster GitLab template validates against
# GitLab's CI schema; the perfgate.json in the Job's ConfigMap is a config
# perfgate accepts, with an attach target it resolves; the Job's script
# passes shellcheck.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
npmdir=$BUILD/npm
dir=ci-templates/kubernetes
T=$(mktemp -d /tmp/perfgate-k8s-XXXXXX)
trap 'rm -rf "$T"' EXIT

command -v node >/dev/null || { echo "SKIP: node is not installed; run scripts/install-deps.sh"; exit 77; }
[ -d "$npmdir/node_modules/kubernetes-models" ] && [ -d "$npmdir/node_modules/js-yaml" ] || {
	echo "SKIP: kubernetes-models is not in $npmdir (scripts/install-deps.sh installs it" \
		"from the npm registry)"
	exit 77
}
validate() { node tests/k8s/validate-k8s.mjs "$npmdir" "$@"; }

mapfile -t manifests < <(find "$dir" -name '*.yaml' ! -name '*.gitlab-ci.yml' | sort)
[ "${#manifests[@]}" -ge 3 ] || { echo "FAIL: only ${#manifests[@]} manifests found"; exit 1; }
validate "${manifests[@]}" || { echo "FAIL: a manifest does not validate"; exit 1; }
echo "ok: ${#manifests[@]} manifests valid"

# Broken copies: each must be rejected.
broken() { # NAME FILE SED
	sed "$3" "$2" >"$T/$1.yaml"
	cmp -s "$2" "$T/$1.yaml" && { echo "FAIL: $1: the edit changed nothing"; exit 1; }
	if validate "$T/$1.yaml" >/dev/null 2>"$T/$1.err"; then
		echo "FAIL: $1 passed validation"
		exit 1
	fi
	echo "ok: $1 rejected: $(head -n 1 "$T/$1.err")"
}
broken job-hostpid-string $dir/perfgate-job.yaml 's/hostPID: true/hostPID: "yes"/'
broken job-no-container-name $dir/perfgate-job.yaml 's/^        - name: perfgate$/        - tty: true/'
broken job-backoff-text $dir/perfgate-job.yaml 's/backoffLimit: 0/backoffLimit: none/'
broken rbac-verbs-not-list $dir/perfgate-rbac.yaml 's/verbs: \["get", "list", "watch"\]/verbs: get/'
broken rbac-no-roleref-kind $dir/perfgate-rbac.yaml '/^  kind: Role$/d'
broken unknown-kind $dir/perfgate-rbac.yaml 's/^kind: Role$/kind: Rol/'

# The GitLab template against GitLab's CI schema (when the schema and its
# validator are at hand, as for ci-templates/perfgate.gitlab-ci.yml).
schemas=../shared/schemas
if [ -f "$schemas/gitlab-ci.json" ] && [ -d "$npmdir/node_modules/ajv-formats" ]; then
	NODE_PATH=$npmdir/node_modules node "$schemas/validate-gitlab-ci.js" \
		"$schemas/gitlab-ci.json" $dir/perfgate-cluster.gitlab-ci.yml ||
		{ echo "FAIL: perfgate-cluster.gitlab-ci.yml"; exit 1; }
	sed 's/^  script:/  scirpt:/' $dir/perfgate-cluster.gitlab-ci.yml >"$T/broken-ci.yml"
	if NODE_PATH=$npmdir/node_modules node "$schemas/validate-gitlab-ci.js" \
		"$schemas/gitlab-ci.json" "$T/broken-ci.yml" >/dev/null 2>&1; then
		echo "FAIL: a cluster template with 'scirpt:' passed"
		exit 1
	fi
	echo "ok: cluster GitLab template valid, broken copy rejected"
else
	echo "note: GitLab's CI schema or ajv not at hand; cluster template not validated"
fi

# The ConfigMap's perfgate.json, filled in as the template fills it, is a
# config perfgate takes: it gets as far as looking for the pod on this node.
if [ -x "$BUILD/perfgate" ]; then
	node --input-type=module -e "
		import { readFileSync } from 'node:fs';
		import { pathToFileURL } from 'node:url';
		const y = (await import(pathToFileURL('$npmdir/node_modules/js-yaml/index.js'))).default;
		const cm = y.loadAll(readFileSync('$dir/perfgate-job.yaml', 'utf8'))
			.find((d) => d && d.kind === 'ConfigMap');
		process.stdout.write(cm.data['perfgate.json']);" >"$T/cm.json"
	PERFGATE_NAMESPACE=review-1 PERFGATE_POD=orders-api-7d9f PERFGATE_CONTAINER=orders-api \
		PERFGATE_SCENARIO=orders-api envsubst <"$T/cm.json" >"$T/perfgate.json"
	rc=0
	"$BUILD/perfgate" capture -c "$T/perfgate.json" -o "$T/r.json" 2>"$T/cm.err" || rc=$?
	if [ "$rc" -eq 3 ] && grep -q "pod 'review-1/orders-api-7d9f'" "$T/cm.err"; then
		echo "ok: the ConfigMap's config parses; here: $(cat "$T/cm.err")"
	else
		echo "FAIL: the ConfigMap's config: exit $rc: $(cat "$T/cm.err")"
		exit 1
	fi
fi

if command -v shellcheck >/dev/null; then
	shellcheck $dir/run-in-cluster.sh || { echo "FAIL: shellcheck run-in-cluster.sh"; exit 1; }
	echo "ok: run-in-cluster.sh passes shellcheck"
fi
echo "PASS"
