#!/usr/bin/env bash
# Installs the packed tarballs of every public package into a fresh project
# with npm, as a new user would, then runs them under plain Node ESM and
# checks a TypeScript file with `tsc --strict`. Needs `pnpm build` first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for pkg in schemas sdk mock; do
  (cd "$root/packages/$pkg" && pnpm pack --pack-destination "$work/packs" >/dev/null)
done
mkdir "$work/app" && cd "$work/app"
npm init -y >/dev/null
npm pkg set type=module
ts_version="$(node -p "require('$root/node_modules/typescript/package.json').version")"
npm install --no-audit --no-fund --loglevel=error "$work"/packs/*.tgz "typescript@$ts_version" "@types/node@20" >/dev/null
cp "$root/scripts/smoke/main.mjs" "$root/scripts/smoke/types.ts" "$root/scripts/smoke/tsconfig.json" .
node main.mjs
npx --no-install tsc -p tsconfig.json
echo "pack smoke: plain Node ESM and tsc --strict ok"
