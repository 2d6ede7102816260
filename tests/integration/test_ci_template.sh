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

validate ci-templates/perfgate.gitlab-ci.yml
scratch dir ci-template
broken=$dir/broken.yml
sed 's/^  script:/  scirpt:/' ci-templates/perfgate.gitlab-ci.yml >"$broken"
if validate "$broken" >/dev/null; then
	echo "FAIL: a template with 'scirpt:' passed validation"
	exit 1
fi
echo "PASS: template valid, broken copy rejected"
