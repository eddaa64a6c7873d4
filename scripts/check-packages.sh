#!/usr/bin/env bash
# Package hygiene of every public package: publint (package.json and files)
# and "are the types wrong" for an ESM-only package. Needs `pnpm build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
for pkg in schemas sdk mock; do
  echo "== @resonantgenesis/$pkg"
  pnpm exec publint "packages/$pkg" --strict
  pnpm exec attw --pack "packages/$pkg" --profile esm-only --format table-flipped
done
