#!/usr/bin/env bash
# Sharded synthesis and check, then one merged report: the recipe a CI matrix follows.
#
#   test/bench/shard.sh N OUT [genesis synth options...]
#
# Runs `genesis synth --shard K/N --out OUT/shard-K` for K = 1..N (here in parallel on this
# machine; in CI, one matrix job per K, each uploading OUT/shard-K), then
# `genesis merge --out OUT/merged OUT/shard-*` (one job after the matrix, with every shard's
# folder downloaded). Add `--site SITE` to shard one site only. Exit code: the merge's (0 no error
# findings, 1 error findings), or the first failing shard's when a shard fails to synthesize (2).
set -euo pipefail
n="${1:?usage: shard.sh N OUT [synth options]}"
out="${2:?usage: shard.sh N OUT [synth options]}"
shift 2
root="$(cd "$(dirname "$0")/../.." && pwd)"
genesis=(node "$root/cli/genesis.cjs")
mkdir -p "$out"
pids=()
for k in $(seq 1 "$n"); do
  "${genesis[@]}" synth --shard "$k/$n" --out "$out/shard-$k" "$@" > "$out/shard-$k.log" 2>&1 &
  pids+=("$!")
done
status=0
for k in $(seq 1 "$n"); do
  # exit 1 (error findings) still wrote the shard's report; anything else stops the merge
  code=0
  wait "${pids[$((k - 1))]}" || code=$?
  if [ "$code" -gt 1 ]; then
    echo "shard $k/$n failed (exit $code):" >&2
    cat "$out/shard-$k.log" >&2
    status=$code
  fi
done
[ "$status" -eq 0 ] || exit "$status"
shards=()
for k in $(seq 1 "$n"); do shards+=("$out/shard-$k"); done
exec "${genesis[@]}" merge --out "$out/merged" "${shards[@]}"
