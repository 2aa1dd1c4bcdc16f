#!/usr/bin/env bash
# Runs the test suite many times under the conditions a test may wrongly depend on, and lists every failure
# with the conditions it happened under. A test that fails here once is a defect to fix at its cause.
#
#   .ci/flaky-hunt.sh [RUNS] [OUT] [FIRST]   (default runs 1..30 into /tmp/flaky-hunt)
#
# FIRST continues an interrupted hunt: runs FIRST..RUNS are added to OUT's summary (run numbers fix the conditions,
# so a hunt split over sessions is the same hunt; check out the same commit).
#
# Each run draws one value of every condition, independently, by a fixed hash of the run number (so a hunt can be repeated):
#   blas    VERIFY_BLAS unset, managed or openblas, or OpenBLAS hidden (a private mount namespace in which
#           libopenblas.so.0 is /dev/null: root only; otherwise this value is skipped)
#   cache   a warm calibration cache (one folder for the whole hunt) or a cold one (a new VERIFY_CACHE)
#   cpus    every core, or one (taskset -c 0)
#   load    none, or two busy loops competing for the cores
#   layout  solution: `dotnet test Verify.sln`, the three projects side by side (the README's command);
#           alone: one project after another; split: every test namespace in a process of its own, so
#           that no test can lean on what an earlier one left in the process; shuffle: the test classes dealt
#           at random (seeded by the run number) into three processes run one after another in random order
# NUnit has no random execution order (it runs fixtures in name order); the layouts, shuffle above all, change
# what ran before a test in its process, which is what an order dependence needs.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
out=${2:-/tmp/flaky-hunt}
first=${3:-1}
mkdir -p "$out"
summary="$out/summary.tsv"
[ "$first" -gt 1 ] && [ -f "$summary" ] || printf 'run\tblas\tcache\tcpus\tload\tlayout\tpassed\tfailed\tseconds\tfailures\n' > "$summary"

# The live-scheduler test runs only with a scheduler: start the one-node cluster as .ci/run does (root only).
.ci/slurm-up.sh > "$out/slurm-up.log" 2>&1 || echo "flaky-hunt: no Slurm scheduler; the live-scheduler test will be skipped"
echo "flaky-hunt: building once"
dotnet build Verify.sln -v q -nologo > "$out/build.log" 2>&1 || { echo "build failed: $out/build.log"; exit 1; }
# The number of tests a run must report (passed + skipped), so that a layout that drops tests cannot pass.
# The listing includes the [Explicit] tests, which a run does not report.
expected=$(( - $(grep -rhoE '\[Test, Explicit|Explicit = true' tests --include='*.cs' | wc -l) ))
for p in tests/*/*.Tests.csproj; do expected=$((expected + $(dotnet test "$p" --no-build --list-tests 2>/dev/null | grep -c '^    '))); done
echo "flaky-hunt: $expected tests per run"

root=$([ "$(id -u)" -eq 0 ] && echo yes || echo no)
blas_values=(unset managed openblas hidden)
cache_values=(warm cold)
cpu_values=(all one)
load_values=(none busy)
layout_values=(solution alone split shuffle)
warm_cache="$out/warm-cache"
mkdir -p "$warm_cache"
openblas_path=$(ldconfig -p 2>/dev/null | awk '/libopenblas.so.0 /{print $NF; exit}')

# The processes of the split layout for a project, as `--filter` arguments: one per test namespace, and one per
# class in the project's root namespace (which holds the others); a namespace inside another runs with it. Full test names come from --list-tests
# (tests/tests.runsettings makes them full).
splits() {
  dotnet test "$1" --no-build --list-tests 2>/dev/null | sed -n 's/^    //p' | sed 's/(.*//' | awk -F. '
    NF > 2 { ns = $1; for (i = 2; i <= NF - 2; i++) ns = ns "." $i; n[NR] = ns; c[NR] = ns "." $(NF - 1)
             if (root == "" || length(ns) < length(root)) root = ns }
    END { for (k in n) print (n[k] == root ? c[k] : n[k]) "." }' | sort -u |
    awk '{ k[NR] = $0 } END { for (i in k) { inner = 0; for (j in k) if (i != j && index(k[i], k[j]) == 1) inner = 1; if (!inner) print "FullyQualifiedName~" k[i] } }' | sort
}

# The classes of a project dealt at random into three `--filter` arguments, in random order (a seed per run).
shuffled() {
  # A test's class: the identifier segments its name starts with (a name set by SetName may hold dots, spaces or
  # colons after them). The prefix is a substring of the test's own name, so every test is in some process.
  dotnet test "$1" --no-build --list-tests 2>/dev/null | sed -n 's/^    //p' | sed 's/(.*//' |
    sed -nE 's/^(([A-Za-z_][A-Za-z0-9_+]*\.)+).*/\1/p' | sort -u |
    shuf --random-source=<(yes "flaky-hunt shuffle $2") |
    awk '{ g[NR % 3] = g[NR % 3] (g[NR % 3] == "" ? "" : "|") "FullyQualifiedName~" $0 } END { for (k in g) print g[k] }'
}

pick() { # pick RUN SALT VALUES... : a value by a fixed hash of the run number and the condition, so that the
          # conditions vary independently of each other (a plain linear rule made two-valued ones move together)
  local run=$1 salt=$2; shift 2
  local vals=("$@") h
  h=$(( 16#$(printf 'flaky-hunt %s %s' "$run" "$salt" | md5sum | cut -c1-8) ))
  echo "${vals[$(( h % ${#vals[@]} ))]}"
}

for i in $(seq "$first" "$runs"); do
  blas=$(pick "$i" 1 "${blas_values[@]}"); cache=$(pick "$i" 2 "${cache_values[@]}")
  cpus=$(pick "$i" 3 "${cpu_values[@]}"); load=$(pick "$i" 4 "${load_values[@]}"); layout=$(pick "$i" 5 "${layout_values[@]}")
  if [ "$blas" = hidden ] && { [ "$root" = no ] || [ -z "$openblas_path" ]; }; then blas=unset; fi
  dir="$out/run-$i"; mkdir -p "$dir"; log="$dir/test.log"

  envs=(); [ "$blas" = managed ] || [ "$blas" = openblas ] && envs+=("VERIFY_BLAS=$blas")
  if [ "$cache" = cold ]; then envs+=("VERIFY_CACHE=$dir/cache"); else envs+=("VERIFY_CACHE=$warm_cache"); fi
  prefix=(env "${envs[@]}"); [ "$cpus" = one ] && prefix+=(taskset -c 0)

  case "$layout" in
    solution) cmds=("dotnet test Verify.sln --no-build") ;;
    alone) cmds=(); for p in tests/*/*.Tests.csproj; do cmds+=("dotnet test $p --no-build"); done ;;
    split) cmds=(); for p in tests/*/*.Tests.csproj; do
             while read -r f; do cmds+=("dotnet test $p --no-build --filter $f"); done < <(splits "$p")
           done ;;
    shuffle) cmds=(); for p in $(ls tests/*/*.Tests.csproj | shuf --random-source=<(yes "flaky-hunt projects $i")); do
             while read -r f; do cmds+=("dotnet test $p --no-build --filter '$f'"); done < <(shuffled "$p" "$i")
           done ;;
  esac

  busy=()
  if [ "$load" = busy ]; then for _ in 1 2; do (while :; do :; done) & busy+=($!); done; fi
  start=$(date +%s)
  script="$dir/run.sh"
  { echo "set -u"; for c in "${cmds[@]}"; do echo "$c || echo \"flaky-hunt: command failed with exit \$?: ${c//\"/\\\"}\""; done; } > "$script"
  if [ "$blas" = hidden ]; then
    # A private mount namespace: libopenblas.so.0 reads as an empty file there, so dlopen fails as on a machine without it.
    "${prefix[@]}" unshare -m bash -c "mount --bind /dev/null '$openblas_path' && bash '$script'" > "$log" 2>&1
  else
    "${prefix[@]}" bash "$script" > "$log" 2>&1
  fi
  seconds=$(( $(date +%s) - start ))
  for p in "${busy[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null

  passed=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Passed: *([0-9]+).*/\1/' | awk '{s+=$1} END {print s+0}')
  failed=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+),.*/\1/' | awk '{s+=$1} END {print s+0}')
  names=$(grep -E '^  Failed ' "$log" | sed -E 's/^  Failed //; s/ \[[^]]*\]$//' | sort -u | paste -sd';' -)
  if ! grep -qE '^(Passed|Failed)!' "$log"; then failed=1; names="no test summary (build or host crash): $log"; fi
  # A command that failed without failing a test (a filter the runner refused, a crashed host) is a failure too; so is
  # a run that ran fewer tests than the suite has.
  broken=$(grep -c '^flaky-hunt: command failed' "$log")
  if [ "$broken" -gt 0 ] && [ "$failed" -eq 0 ]; then failed=$broken; names="${names:+$names;}$(grep '^flaky-hunt: command failed' "$log" | head -3 | cut -c1-200 | paste -sd';' -)"; fi
  skipped=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Skipped: *([0-9]+).*/\1/' | awk '{s+=$1} END {print s+0}')
  # (A test in two processes is counted twice: more is fine, fewer means some test did not run.)
  if [ "$failed" -eq 0 ] && [ $((passed + skipped)) -lt "$expected" ]; then failed=1; names="ran $((passed + skipped)) of $expected tests"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$blas" "$cache" "$cpus" "$load" "$layout" "$passed" "$failed" "$seconds" "$names" >> "$summary"
  echo "run $i/$runs: blas=$blas cache=$cache cpus=$cpus load=$load layout=$layout: $passed passed, $failed failed in ${seconds}s${names:+: $names}"
done

total_failed=$(awk -F'\t' 'NR>1{s+=$8} END{print s+0}' "$summary")
echo "flaky-hunt: $(( $(wc -l < "$summary") - 1 )) runs, $total_failed failures; per run: $summary"
awk -F'\t' 'NR>1 && $10!="" {n=split($10,a,";"); for(k=1;k<=n;k++) c[a[k]]++} END{for(t in c) printf "  %d× %s\n", c[t], t}' "$summary" | sort -rn
[ "$total_failed" -eq 0 ]
