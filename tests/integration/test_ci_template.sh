#!/usr/bin/env bash
# The GitLab CI template validates against GitLab's CI schema, and the
# validator really rejects a broken copy (so this test can fail).
. "$(dirname "$0")/lib.sh"
set -euo pipefail
cd "$ROOT"
schemas=../shared/schemas
if [ ! -f "$schemas/gitlab-ci.json" ]; then
	echo "SKIP: $schemas/gitlab-ci.json not found (GitLab's CI schema)"
	exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "SKIP: node and npm are needed to validate against the schema"
	exit 77
fi
npmdir=$BUILD/npm
if [ ! -d "$npmdir/node_modules/ajv-formats" ]; then
	mkdir -p "$npmdir"
	if ! (cd "$npmdir" && npm init -y >/dev/null &&
		timeout 300 npm install --no-audit --no-fund ajv@8 ajv-formats@3 js-yaml@4 >/dev/null); then
		rm -rf "$npmdir/node_modules"
		echo "SKIP: could not install ajv, ajv-formats and js-yaml from the npm registry"
		exit 77
	fi
fi
validate() { NODE_PATH=$npmdir/node_modules node "$schemas/validate-gitlab-ci.js" \
	"$schemas/gitlab-ci.json" "$1"; }

# GitLab's schema takes any hidden key (".job") as an arbitrary anchor, so
# the template's hidden jobs are validated as the jobs they become: a copy
# with the dots dropped (".perfgate-changes" is data, not a job).
scratch tmp ci-template
sed -E 's/^\.(perfgate(-runner|-baseline)?):/\1:/; s/^( +extends: )\.(perfgate-runner)$/\1\2/' \
	ci-templates/perfgate.gitlab-ci.yml >"$tmp/jobs.yml"
grep -q '^perfgate:' "$tmp/jobs.yml" || { echo "FAIL: no .perfgate job to check"; exit 1; }
validate ci-templates/perfgate.gitlab-ci.yml
validate "$tmp/jobs.yml"
sed 's/^  script:/  scirpt:/' "$tmp/jobs.yml" >"$tmp/broken.yml"
if validate "$tmp/broken.yml" >/dev/null; then
	echo "FAIL: a template with 'scirpt:' passed validation"
	exit 1
fi
sed 's/^    exit_codes: \[4\]/    exit_codes: four/' "$tmp/jobs.yml" >"$tmp/broken2.yml"
if validate "$tmp/broken2.yml" >/dev/null; then
	echo "FAIL: allow_failure exit_codes 'four' passed validation"
	exit 1
fi
echo "PASS: template valid (hidden jobs too), broken copies rejected"
