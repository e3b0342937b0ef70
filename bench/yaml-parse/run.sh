#!/usr/bin/env bash
# Parse time of big inputs through the CLI (export of one VM carrying one big string), per input shape and size.
# Before the line bound, one 16 MiB YAML line took ~169 s (SnakeYAML refills its window by copying it: quadratic in a
# token's length); now a YAML line over 1 MiB is refused up front, and the same value as JSON parses linearly.
# Usage: bench/yaml-parse/run.sh [sizes in MiB...]   (default: 1 4 16)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sizes=("${@:-1 4 16}")
for mb in ${sizes[@]}; do
    python3 - "$work" "$mb" <<'PY'
import json, sys
work, mb = sys.argv[1], int(sys.argv[2])
s = "x" * (mb * 1024 * 1024)
vm = {"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine",
      "metadata": {"name": "big", "namespace": "bench", "annotations": {"big": s}},
      "spec": {"runStrategy": "Always", "template": {"spec": {}}}}
open(f"{work}/line-{mb}.yaml", "w").write(
    "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: big\n  namespace: bench\n"
    f"  annotations:\n    big: {s}\nspec:\n  runStrategy: Always\n  template:\n    spec: {{}}\n")
open(f"{work}/json-{mb}.json", "w").write(json.dumps(vm))
folded = "\n".join(s[i:i + 80] for i in range(0, len(s), 80))
open(f"{work}/folded-{mb}.yaml", "w").write(
    "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: big\n  namespace: bench\n"
    "  annotations:\n    big: |\n" + "\n".join("      " + l for l in folded.split("\n")) +
    "\nspec:\n  runStrategy: Always\n  template:\n    spec: {}\n")
PY
    for shape in line json folded; do
        f=$(ls "$work"/$shape-$mb.*)
        start=$(date +%s.%N)
        set +e; "$root/bin/vmconfig" export --from "$f" --out "$work/out-$shape-$mb" >/dev/null 2>&1; rc=$?; set -e
        end=$(date +%s.%N)
        printf '%-7s %4s MiB  exit %d  %6.2f s\n' "$shape" "$mb" "$rc" "$(echo "$end - $start" | bc)"
    done
done
