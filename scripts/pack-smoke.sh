#!/usr/bin/env bash
# The quick tarball smoke test: the packed packages installed with npm into a
# fresh project and run from plain Node, as ESM and through require(). It is
# the first two consumers of the ecosystem suite (ecosystem/consumers.mjs, the
# one list of every consumer); `pnpm test:ecosystem` runs them all, the
# TypeScript matrix among them. Needs `pnpm build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node ecosystem/run.mjs --no-build --only node-esm,node-cjs
