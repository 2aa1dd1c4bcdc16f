#!/usr/bin/env bash
# Check: a model saved by `verify train --save-model` is read by numpy alone (docs/interop/load_model.py, the
# script docs/interop.md shows) and gives back the run's clean test error exactly: the same count of errors as
# the run reported in its JSON, against the noisy and the clean labels. One small cell (the smoke experiment's
# sizes) in each mode (naive, subspace, rotation-invariant) in f64, and subspace in f32; and the numpy code the
# doc shows runs as shown.
# Run from the repository root after the test suite (.ci/run); exit code 0 passes. About 50 s on 2 cores: a cold
# Release build of verify (35 s), then 15 s of runs and numpy.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# numpy: the first python3 that has it, else Debian's python3-numpy for Debian's python3 (as .ci/run installs packages).
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import numpy' >/dev/null 2>&1; then python=$candidate; break; fi
done
if [ -z "$python" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-numpy >/dev/null
  python=/usr/bin/python3
  "$python" -c 'import numpy' || { echo "numpy is not available to $python"; exit 1; }
fi
echo "numpy $("$python" -c 'import numpy; print(numpy.__version__)') under $python"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
dotnet build Verification/Verification.csproj -c Release -o "$tmp/bin" -v quiet -nologo >"$tmp/build.log" 2>&1 \
  || { tail -n 30 "$tmp/build.log"; echo "build failed"; exit 1; }
echo "built in $(( $(date +%s) - start )) s"

cell=(--n 50 --n-test 500 --m 200 --d 1000 --iterations 150 --pgd-steps 5 --eval-pgd-steps 10 --eval-pgd-restarts 1
      --mu 4 --alpha-over-mu 0.25 --seed 3)
status=0
for variant in "naive f64" "subspace f64" "rotation-invariant f64" "subspace f32"; do
  read -r mode precision <<<"$variant"
  dir="$tmp/$mode-$precision"; mkdir "$dir"
  "$tmp/bin/verify" train "${cell[@]}" --mode "$mode" --precision "$precision" \
    --json --out "$dir/run.json" --save-model "$dir/model.safetensors" >/dev/null 2>"$dir/train.err" \
    || { cat "$dir/train.err"; echo "$variant: verify train failed"; status=1; continue; }
  # The run's own count, from its JSON result (not from the model file).
  reported=$("$python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["metrics"]["cleanTest"]["errors"])' "$dir/run.json")
  if ! "$python" docs/interop/load_model.py "$dir/model.safetensors" "$dir/run.json" >"$dir/load.out" 2>&1; then
    cat "$dir/load.out"; echo "$variant: the numpy script does not reproduce the run"; status=1; continue
  fi
  recomputed=$(sed -n 's/^clean test errors: \([0-9]*\) of .*/\1/p' "$dir/load.out")
  if [ "$recomputed" != "$reported" ]; then
    cat "$dir/load.out"; echo "$variant: numpy counts '$recomputed' clean test errors, the run reported $reported"; status=1; continue
  fi
  echo "$variant: $(sed -n 's/^clean test errors: //p' "$dir/load.out") clean test errors recomputed by numpy, as the run reported;" \
       "$(sed -n 's/^closest call: //p' "$dir/load.out"); $(stat -c %s "$dir/model.safetensors") bytes"
done

# The numpy code docs/interop.md shows (its first python block, which asserts the count) runs as it is shown.
awk '/^```python$/ { on = 1; next } on && /^```$/ { exit } on' docs/interop.md >"$tmp/doc_snippet.py"
if (cd "$tmp/subspace-f64" && "$python" "$tmp/doc_snippet.py"); then
  echo "docs/interop.md's numpy code: runs and gives the run's count"
else
  echo "docs/interop.md's numpy code fails on a model file"; status=1
fi
echo "model-export: $(( $(date +%s) - start )) s in all"
exit $status
