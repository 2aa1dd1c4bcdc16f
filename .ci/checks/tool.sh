#!/usr/bin/env bash
# Check: the .NET tool package works once installed, away from the repository.
# Packs Verification (Release, build files in a temporary folder), installs the package with
# `dotnet tool install --tool-path` from that local folder, and from an empty folder runs what a user of
# the installed tool runs: `verify --version` (the <Version> of Directory.Build.props), `verify check`,
# and the main job, `verify report` with no argument (the built-in smoke experiment), which must write
# reports/smoke/report.html with its figures under the current folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "tool check FAILED: $*" >&2; exit 1; }
step() { echo "== $* (at ${SECONDS} s)"; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
id=$(sed -n 's:.*<PackageId>\(.*\)</PackageId>.*:\1:p' Verification/Verification.csproj | head -n 1)
[ -n "$version" ] && [ -n "$id" ] || fail "no <Version> in Directory.Build.props or no <PackageId> in Verification/Verification.csproj"

step "pack $id $version"
dotnet pack Verification -c Release -o "$tmp/nupkg" --artifacts-path "$tmp/build" >"$tmp/pack.log" 2>&1 \
  || { tail -n 30 "$tmp/pack.log"; fail "dotnet pack"; }
[ -f "$tmp/nupkg/$id.$version.nupkg" ] || { ls -l "$tmp/nupkg"; fail "no $id.$version.nupkg"; }

step "install into a tool path"
# A package folder of its own: the machine's NuGet cache may hold an older build of the same version.
NUGET_PACKAGES="$tmp/nuget-packages" dotnet tool install "$id" --version "$version" \
  --tool-path "$tmp/tools" --add-source "$tmp/nupkg" --ignore-failed-sources >"$tmp/install.log" 2>&1 \
  || { cat "$tmp/install.log"; fail "dotnet tool install"; }
verify="$tmp/tools/verify"
[ -x "$verify" ] || fail "the install made no $verify"

# An empty folder far from the repository, and a cache of its own (the BLAS calibration starts afresh,
# through a child `verify` started by the installed tool).
work="$tmp/work"; mkdir -p "$work"; cd "$work"
export VERIFY_CACHE="$tmp/cache"

step "verify --version"
v=$("$verify" --version) || fail "verify --version exited with $?"
case "$v" in "$version"|"$version+"*) ;; *) fail "verify --version printed '$v', Directory.Build.props says $version" ;; esac

step "verify check"
"$verify" check >"$tmp/check.out" 2>&1 || { cat "$tmp/check.out"; fail "verify check exited non-zero"; }
grep -q "The hypotheses of Theorem 3.1" "$tmp/check.out" || { cat "$tmp/check.out"; fail "verify check printed no verdict"; }

step "verify report (the main job)"
"$verify" report >"$tmp/report.out" 2>&1 || { tail -n 30 "$tmp/report.out"; fail "verify report exited non-zero"; }
html="$work/reports/smoke/report.html"
[ -s "$html" ] || { tail -n 30 "$tmp/report.out"; ls -R "$work" | head -n 30; fail "no $html"; }
[ -s "$work/reports/smoke/report.md" ] || fail "no report.md beside report.html"
grep -q "report: $html" "$tmp/report.out" || fail "verify report did not name $html"
grep -q "<svg" "$html" || fail "report.html has no figures"
if grep -q "no font was found" "$work/reports/smoke/report.md"; then fail "figures drawn without a font: $(grep -m 1 'no font' "$work/reports/smoke/report.md")"; fi
# Only the report and the runs, under the current folder.
others=$(ls -A "$work" | grep -v -x -e reports -e results || true)
[ -z "$others" ] || fail "verify report wrote more than reports/ and results/ in the current folder: $others"

echo "tool check passed: $id $version packed, installed and run (check, report) in ${SECONDS} s"
