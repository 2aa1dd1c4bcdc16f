#!/usr/bin/env bash
# Check: the two libraries ship as NuGet packages (BenignOverfitting.Verify.Bounds, BenignOverfitting.Verify.Simulation), and a program outside the
# solution can use them from a folder feed.
#
#  1. Packs Bounds and Simulation (Release, ContinuousIntegrationBuild) in two copies of the sources at two different
#     paths, each with a .git file pointing at this repository's git folder (read only), so Source Link and the
#     nuspec see the commit.
#  2. Checks each package: the dll, its XML documentation and PDB, the readme; the nuspec's id, version, license,
#     description, repository commit (and URL when the remote is a hosting service), and dependencies
#     (Verify.Simulation → Verify.Bounds at the same version, both → MathNet.Numerics; nothing else).
#  3. Deterministic build: the dlls of the two copies are byte for byte the same and name no local path.
#  4. Builds examples/ReferenceCell against the fresh packages only (its nuget.config maps Verify.* to the folder
#     feed; a NuGet cache of its own, so no package cached earlier under the same version can stand in; MathNet.Numerics
#     restores from the usual source), runs it, and requires a clean and a robust test error in [0, 1].
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
start=$SECONDS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

gitdir=$(git rev-parse --absolute-git-dir 2>/dev/null || true)
commit=$(git rev-parse HEAD 2>/dev/null || true)
origin=$(git remote get-url origin 2>/dev/null || true)

# 1. Two copies of what the packages and the example are built from (tracked and new files, not bin/obj).
copy() {
  local dest=$1
  mkdir -p "$dest"
  git ls-files -co --exclude-standard -- ':(top,glob)*.props' ':(top,glob)*.targets' ':(top)global.json' \
      Bounds Simulation examples/ReferenceCell \
    | while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done \
    | tar -cf - -T - | tar -xf - -C "$dest"
  [ -n "$gitdir" ] && echo "gitdir: $gitdir" > "$dest/.git"
  return 0
}
pack() {
  local src=$1
  for p in Bounds Simulation; do
    (cd "$src" && nice dotnet pack "$p" -c Release -p:ContinuousIntegrationBuild=true -o "$src/artifacts/packages" >"$tmp/pack-$p.log" 2>&1) \
      || { tail -n 30 "$tmp/pack-$p.log"; fail "dotnet pack $p"; }
    if grep -E -q ': warning [A-Z]+[0-9]+' "$tmp/pack-$p.log"; then
      grep -E ': warning [A-Z]+[0-9]+' "$tmp/pack-$p.log" | sort -u | head -n 20; fail "dotnet pack $p: warnings"
    fi
  done
}
a=$tmp/a; b=$tmp/b
copy "$a"; copy "$b"
pack "$a"; pack "$b"
feed=$a/artifacts/packages     # the folder feed examples/ReferenceCell/nuget.config names (../../artifacts/packages)
echo "packed in $((SECONDS - start)) s: $(cd "$feed" && ls)"

# 2. What each package holds.
field() { grep -o "<$1[^>]*>[^<]*</$1>" <<<"$nuspec" | head -n 1 | sed -E "s#<$1[^>]*>([^<]*)</$1>#\1#"; }
version=""
# Package ids are BenignOverfitting.<assembly>: nuget.org reserves the Verify.* prefix (the VerifyTests project).
for id in BenignOverfitting.Verify.Bounds BenignOverfitting.Verify.Simulation; do
  asm=${id#BenignOverfitting.}
  nupkg=$(ls "$feed/$id".[0-9]*.nupkg 2>/dev/null | head -n 1)
  [ -n "$nupkg" ] || fail "no $id package in the feed"
  v=$(basename "$nupkg" .nupkg); v=${v#"$id".}
  [ -z "$version" ] || [ "$v" = "$version" ] || fail "$id is $v, the Bounds package is $version: one version for both"
  version=$v
  files=$(unzip -Z1 "$nupkg")
  for f in "lib/net10.0/$asm.dll" "lib/net10.0/$asm.xml" "lib/net10.0/$asm.pdb" README.md "$id.nuspec"; do
    grep -qxF "$f" <<<"$files" || fail "$id: $f is not in the package ($(tr '\n' ' ' <<<"$files"))"
  done
  xml=$(unzip -p "$nupkg" "lib/net10.0/$asm.xml")
  grep -q "<name>$asm</name>" <<<"$xml" || fail "$asm.xml documents another assembly"
  members=$(grep -c '<member name=' <<<"$xml" || true)
  [ "$members" -ge 20 ] || fail "$asm.xml documents only $members members"
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  [ "$(field id)" = "$id" ] || fail "$id: nuspec id is '$(field id)'"
  [ "$(field version)" = "$version" ] || fail "$id: nuspec version is '$(field version)'"
  grep -q '<license type="expression">[^<]' <<<"$nuspec" || fail "$id: no license expression"
  [ "$(field readme)" = README.md ] || fail "$id: no readme"
  [ "$(field description | wc -c)" -gt 80 ] || fail "$id: no real description"
  unzip -p "$nupkg" README.md | grep -q "^# $id" || fail "$id: README.md is not the package's readme"
  repo=$(grep -o '<repository [^>]*>' <<<"$nuspec" || true)
  if [ -n "$commit" ] && ! { grep -q 'type="git"' <<<"$repo" && grep -q "commit=\"$commit\"" <<<"$repo"; }; then
    fail "$id: repository metadata '$repo' lacks commit $commit"
  fi
  # Source Link knows the hosting services; a clone of a local folder (as CI's is) has no URL to publish.
  case "$origin" in
    https://github.com/*|git@github.com:*|https://gitlab.com/*|git@gitlab.com:*|https://dev.azure.com/*|https://bitbucket.org/*)
      if ! grep -q 'url="https://' <<<"$repo"; then fail "$id: remote $origin, but no repository URL in '$repo'"; fi ;;
    *)
      if grep -q 'url=' <<<"$repo"; then fail "$id: a repository URL in '$repo', though the remote '$origin' is no hosting service"; fi ;;
  esac
  deps=$(grep -o '<dependency id="[^"]*" version="[^"]*"' <<<"$nuspec" | sed -E 's/<dependency id="([^"]*)" version="([^"]*)"/\1 \2/' | sort | tr '\n' ';')
  case $id in
    *.Bounds) want="MathNet.Numerics 5.0.0;" ;;
    *.Simulation) want="BenignOverfitting.Verify.Bounds $version;MathNet.Numerics 5.0.0;" ;;
  esac
  [ "$deps" = "$want" ] || fail "$id: dependencies '$deps', expected '$want'"
  echo "$id $version: dll, xml ($members members), pdb, README.md; dependencies ${deps%;}; ${repo:-no repository element}"
done

# 3. Deterministic: the same bytes from another folder, and no local path inside.
for id in BenignOverfitting.Verify.Bounds BenignOverfitting.Verify.Simulation; do
  asm=${id#BenignOverfitting.}
  unzip -p "$feed/$id.$version.nupkg" "lib/net10.0/$asm.dll" > "$tmp/$asm.a.dll"
  unzip -p "$b/artifacts/packages/$id.$version.nupkg" "lib/net10.0/$asm.dll" > "$tmp/$asm.b.dll"
  cmp -s "$tmp/$asm.a.dll" "$tmp/$asm.b.dll" || fail "$asm.dll differs between two builds of the same sources ($a, $b): not deterministic"
  if grep -a -q -e "$a" -e "$root" "$tmp/$asm.a.dll"; then fail "$asm.dll contains a local path"; fi
done
echo "deterministic: both dlls identical across two source folders ($(sha256sum "$tmp/Verify.Simulation.a.dll" | cut -c1-16)…)"

# 4. The example, against the packages only.
example=$a/examples/ReferenceCell
if grep -q '<ProjectReference' "$example/ReferenceCell.csproj"; then fail "the example references a project, not the packages"; fi
export NUGET_PACKAGES=$tmp/nuget-packages
(cd "$example" && nice dotnet build -c Release >"$tmp/example-build.log" 2>&1) || { tail -n 30 "$tmp/example-build.log"; fail "building the example"; }
for id in BenignOverfitting.Verify.Bounds BenignOverfitting.Verify.Simulation; do
  cached=$NUGET_PACKAGES/${id,,}/${version,,}/${id,,}.${version,,}.nupkg
  [ -f "$cached" ] || fail "the example did not restore $id $version"
  cmp -s "$cached" "$feed/$id.$version.nupkg" || fail "the example restored a $id other than the one just packed"
done
out=$(cd "$tmp" && nice dotnet "$example/bin/Release/net10.0/ReferenceCell.dll" 2>&1) || { echo "$out"; fail "the example exited with an error"; }
echo "$out"
for name in "clean test error" "robust test error"; do
  rate=$(sed -n -E "s/^$name: ([0-9.]+) .*/\1/p" <<<"$out")
  [ -n "$rate" ] || fail "the example printed no $name"
  awk -v r="$rate" 'BEGIN { exit !(r >= 0 && r <= 1) }' || fail "$name $rate is not in [0, 1]"
done
echo "libraries: passed in $((SECONDS - start)) s"
