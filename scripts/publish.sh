#!/usr/bin/env bash
# Self-contained single-file `verify` binaries: no .NET needed where they run.
#
#   scripts/publish.sh [-o DIR] [RID ...]
#
# RIDs default to linux-x64 linux-arm64 osx-arm64 win-x64. Each goes to DIR/RID/verify (verify.exe on
# Windows); DIR defaults to dist/ in the repository. The build's own files go to DIR/.build (kept, so a
# second run is incremental; the checkout's bin/ and obj/ are not touched). Native libraries (SkiaSharp,
# HarfBuzz) are inside too and unpacked under ~/.net on the first run. Neither trimmed nor Native AOT: no
# test shows every command, figures included, working that way (README, "Install").
#
# A RID whose .NET runtime pack (or apphost) the package sources do not serve, or for which the SDK has
# none, is reported as skipped, with the reason, and the others go on. Exit code: 0 when every RID was
# published or skipped so, 1 when any failed otherwise (its build log's last lines are shown), 2 for bad usage.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

out="$repo/dist"
rids=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o|--out) [ $# -ge 2 ] || { echo "publish.sh: $1 needs a folder" >&2; exit 2; }; out=$2; shift 2 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    -*) echo "publish.sh: unknown option $1 (scripts/publish.sh [-o DIR] [RID ...])" >&2; exit 2 ;;
    *) rids+=("$1"); shift ;;
  esac
done
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 osx-arm64 win-x64)
command -v dotnet >/dev/null || { echo "publish.sh: needs the .NET 10 SDK (dotnet) on PATH" >&2; exit 2; }
mkdir -p "$out" && out=$(cd "$out" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)
echo "verify $version: self-contained single-file binaries into $out"

summary=()
failed=0
for rid in "${rids[@]}"; do
  dest="$out/$rid"
  log="$out/.build/publish-$rid.log"
  mkdir -p "$out/.build"
  rm -rf "$dest"
  echo "== $rid"
  start=$(date +%s)
  dotnet publish "$repo/Verification" -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=embedded \
    -p:PublishReferencesDocumentationFiles=false -p:PublishDocumentationFile=false \
    --artifacts-path "$out/.build" -o "$dest" >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  exe="$dest/verify"; case "$rid" in win-*) exe="$dest/verify.exe" ;; esac
  if [ $rc -eq 0 ] && [ -f "$exe" ]; then
    # Symbols are embedded (DebugType=embedded: a bug's stack trace names files and lines), and the libraries' XML
    # documentation (for their NuGet packages) is not published, so the binary is alone.
    extra=$(find "$dest" -type f ! -name 'verify' ! -name 'verify.exe' -printf '%f ' 2>/dev/null)
    size=$(stat -c %s "$exe")
    line=$(printf '%-12s published  %-20s %6.1f MiB  (%s s)' "$rid" "${exe#"$out"/}" "$(echo "$size" | awk '{print $1/1048576}')" "$secs")
    [ -n "$extra" ] && line="$line; beside it: $extra"
    summary+=("$line")
    echo "$line"
    continue
  fi
  # Not served: the SDK has no runtime pack for this RID, or NuGet found every package but this RID's
  # runtime pack or apphost (a package that is missing for every RID is a failure, not a skip).
  missing=$(grep -oE "error NU110[123]: [^[]*" "$log" | sort -u)
  reason=$(grep -m 1 -oE "NETSDK108[24]: [^[]*" "$log")
  if [ -z "$reason" ] && [ -n "$missing" ] && ! grep -qvE "Microsoft\.NETCore\.App\.(Runtime|Host)\." <<<"$missing"; then
    reason="the package sources do not serve its runtime pack: $(head -n 1 <<<"$missing" | sed 's/^error //')"
  fi
  if [ -n "$reason" ]; then
    line=$(printf '%-12s skipped    %s' "$rid" "$reason")
  else
    line=$(printf '%-12s FAILED     exit code %s; log: %s' "$rid" "$rc" "$log")
    failed=1
    tail -n 20 "$log" | sed 's/^/    /'
  fi
  summary+=("$line")
  echo "$line"
done

echo "== summary (verify $version)"
printf '%s\n' "${summary[@]}"
exit $failed
