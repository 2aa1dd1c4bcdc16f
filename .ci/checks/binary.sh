#!/usr/bin/env bash
# Check: the self-contained single-file binary runs where there is no .NET.
# Publishes linux-x64 only (the other RIDs of scripts/publish.sh cost CI time and cannot run here) with
# scripts/publish.sh into a temporary folder, then runs the binary from an empty folder in an environment
# with no `dotnet`: nothing but PATH and HOME set, and, where a mount namespace can be made (unshare, as
# root), the .NET installation itself hidden under an empty tmpfs. There: `verify --version` (the <Version>
# of Directory.Build.props), `verify check`, and the main job, `verify report` with no argument, which must
# write reports/smoke/report.html with its figures under the current folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "binary check FAILED: $*" >&2; exit 1; }
step() { echo "== $* (at ${SECONDS} s)"; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
[ -n "$version" ] || fail "no <Version> in Directory.Build.props"

step "publish linux-x64 with scripts/publish.sh"
bash scripts/publish.sh -o "$tmp/dist" linux-x64 >"$tmp/publish.out" 2>&1 || { cat "$tmp/publish.out"; fail "scripts/publish.sh"; }
grep -E '^linux-x64 +published' "$tmp/publish.out" | tail -n 1 || true
bin="$tmp/dist/linux-x64/verify"
[ -x "$bin" ] || { cat "$tmp/publish.out"; fail "no $bin"; }
others=$(ls -A "$tmp/dist/linux-x64" | grep -v -x verify || true)
[ -z "$others" ] || fail "the binary is not alone in its folder: $others"

# The environment without .NET. HOME of its own: the single-file host unpacks its native libraries
# (SkiaSharp, HarfBuzz) under ~/.net on the first run, and verify keeps its cache under ~/.cache/verify.
mkdir -p "$tmp/home" "$tmp/work"
keep=()
for v in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; do [ -n "${!v:-}" ] && keep+=("$v=${!v}"); done
dotnet_root=""
if command -v dotnet >/dev/null; then dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")"); fi
if [ -n "$dotnet_root" ] && unshare -m /bin/sh -c 'mount -t tmpfs none "$1"' sh "$dotnet_root" 2>/dev/null; then
  path=/usr/bin:/bin
  hidden="the .NET installation $dotnet_root hidden (empty tmpfs in a mount namespace), PATH=$path"
  bare() { unshare -m /bin/sh -c 'mount -t tmpfs none "$1" && shift && exec "$@"' sh "$dotnet_root" \
             env -i PATH="$path" HOME="$tmp/home" ${keep[@]+"${keep[@]}"} "$@"; }
else
  path="$tmp/nobin"; mkdir -p "$path"
  hidden="PATH=$path (an empty folder; no mount namespace here to hide ${dotnet_root:-.NET} itself)"
  bare() { env -i PATH="$path" HOME="$tmp/home" ${keep[@]+"${keep[@]}"} "$@"; }
fi
echo "environment: nothing but PATH and HOME; $hidden"
if bare /bin/sh -c 'command -v dotnet'; then fail "dotnet is still found in the environment meant to have none"; fi
cd "$tmp/work"

step "verify --version"
v=$(bare "$bin" --version) || fail "verify --version exited with $?"
case "$v" in "$version"|"$version+"*) ;; *) fail "verify --version printed '$v', Directory.Build.props says $version" ;; esac

step "verify check"
bare "$bin" check >"$tmp/check.out" 2>&1 || { cat "$tmp/check.out"; fail "verify check exited non-zero"; }
grep -q "The hypotheses of Theorem 3.1" "$tmp/check.out" || { cat "$tmp/check.out"; fail "verify check printed no verdict"; }

step "verify report (the main job)"
bare "$bin" report >"$tmp/report.out" 2>&1 || { tail -n 30 "$tmp/report.out"; fail "verify report exited non-zero"; }
html="$tmp/work/reports/smoke/report.html"
[ -s "$html" ] || { tail -n 30 "$tmp/report.out"; ls -R "$tmp/work" | head -n 30; fail "no $html"; }
[ -s "$tmp/work/reports/smoke/report.md" ] || fail "no report.md beside report.html"
grep -q "report: $html" "$tmp/report.out" || fail "verify report did not name $html"
grep -q "<svg" "$html" || fail "report.html has no figures"
if grep -q "no font was found" "$tmp/work/reports/smoke/report.md"; then fail "figures drawn without a font: $(grep -m 1 'no font' "$tmp/work/reports/smoke/report.md")"; fi
others=$(ls -A "$tmp/work" | grep -v -x -e reports -e results || true)
[ -z "$others" ] || fail "verify report wrote more than reports/ and results/ in the current folder: $others"

echo "binary check passed: verify $version linux-x64, $(stat -c %s "$bin") bytes, ran check and report without dotnet in ${SECONDS} s"
