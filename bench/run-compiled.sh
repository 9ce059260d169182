#!/bin/sh
# Runs a benchmark as `npm start` runs the worker: compiled into one file with esbuild (same options as
# `npm run build:worker`) and started with the same Node options, so its figures are the production worker's.
# Usage: sh bench/run-compiled.sh <name> [arguments...]   (bench/<name>.ts)
set -e
name="$1"
shift
npx esbuild "bench/$name.ts" --bundle --platform=node --format=esm --target=node20 --packages=external --sourcemap \
  --outfile="dist/bench-$name.mjs" --log-level=warning
exec node --max-old-space-size=1024 --enable-source-maps "dist/bench-$name.mjs" "$@"
