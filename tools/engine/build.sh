#!/usr/bin/env bash
# npm run engine:build: the real Pulumi CLI and its Node.js language host, built with the `go` command from modules
# served by the Go module proxy, installed under .engine/ with the helper scripts a release archive carries and the
# OCI provider plugin that the engine tests load. Nothing of Pulumi's source is kept in this repository: the Go
# modules here (tools/engine/*/go.mod) only name what to build. A no-op when .engine/ already holds the binaries of
# the pinned versions built from the same inputs.
#
# Routes (docs/engine.md says why each one):
#   pulumi                  github.com/pulumi/pulumi/pkg/v3 at the version of @pulumi/pulumi in package.json
#   pulumi-language-nodejs  github.com/pulumi/pulumi/sdk/v3@v3.68.0, the newest module the proxy serves that still
#                           holds the Node.js language host; its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3)
#                           is refused by the proxy at every version. Patched (languagehost/direct-monitor.patch) so
#                           the program reaches the engine's resource monitor directly, as later hosts do: its proxy
#                           forwards only the monitor methods of its day (resource hooks are answered UNIMPLEMENTED)
#   pulumi-language-yaml    github.com/pulumi/pulumi-yaml@v1.38.3, the newest the proxy serves, with the pkg/sdk it
#                           requires (v3.257.0): the host of the YAML program that consumes components/ as a package
#   pulumi-resource-oci     Oracle's provider (github.com/pulumi/pulumi-oci/provider/v4 over
#                           github.com/oracle/terraform-provider-oci) is refused by the proxy at every version; the
#                           plugin installed as oci 4.20.0 is the rehearsal's OCI provider served over the real plugin
#                           protocol (tools/engine/ociPlugin/)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
engine="$root/.engine"
# Outside the checkout, so a fresh clone on the same machine (CI) builds in seconds.
cache="${OIC_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oic-client-provisioner/engine}"
export GOMODCACHE="$cache/gomod" GOCACHE="$cache/gobuild" GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local
export CGO_ENABLED=0

say() { printf '[engine:build %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

pulumi_version=$(node -p 'require(process.argv[1]).dependencies["@pulumi/pulumi"]' "$root/package.json")
oci_version=$(node -p 'require(process.argv[1]).dependencies["@pulumi/oci"]' "$root/package.json")
grep -qE "github.com/pulumi/pulumi/pkg/v3 v$pulumi_version( |\$)" "$root/tools/engine/cli/go.mod" || {
  echo "tools/engine/cli/go.mod does not build pulumi v$pulumi_version (package.json's @pulumi/pulumi): update it" >&2
  exit 1
}

# Everything the binaries are made from; a change to any of it rebuilds.
# The checkout's path counts too: the installed oci plugin names it.
inputs_hash=$( (cd "$root" && echo "$root" && cat package.json tools/engine/build.sh tools/engine/cli/go.mod \
  tools/engine/cli/go.sum tools/engine/languagehost/go.mod tools/engine/languagehost/go.sum \
  tools/engine/languagehost/direct-monitor.patch \
  tools/engine/yamlhost/go.mod tools/engine/yamlhost/go.sum tools/engine/scripts/* \
  tools/engine/ociPlugin/pulumi-resource-oci.sh) | sha256sum | cut -c1-16)
stamp="$engine/build.json"
if [ -f "$stamp" ] && grep -q "\"inputs\": \"$inputs_hash\"" "$stamp" && [ -x "$engine/bin/pulumi" ] &&
  [ -x "$engine/bin/pulumi-language-nodejs" ] && [ -x "$engine/bin/pulumi-language-yaml" ] &&
  [ -d "$engine/home/plugins/resource-oci-v$oci_version" ]; then
  # The CLI caches each plugin's schema by name and version (home/schemas/oci-<version>.json), but the stand-in oci
  # plugin's schema follows tools/engine/ociPlugin/, which this stamp does not hash: drop the cache, it is remade.
  rm -rf "$engine/home/schemas"
  say "up to date (pulumi v$pulumi_version, oci $oci_version): nothing to do"
  exit 0
fi

mkdir -p "$engine/bin" "$engine/home" "$cache"
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$pulumi_version"
# The release build's flags (pulumi/pulumi .goreleaser.yml); -p 1 keeps the peak memory of a 2-core machine low.
build() { # <module dir> <package> <output> [ldflags]
  (cd "$root/tools/engine/$1" && go build -p "${OIC_ENGINE_BUILD_JOBS:-2}" -trimpath -tags osusergo,grpcnotrace \
    -ldflags "${4:-$ldflags}" -o "$engine/bin/$3.partial" "$2")
  mv "$engine/bin/$3.partial" "$engine/bin/$3"
}
module_version() { # <module dir> <module path>: the version the module dir's go.mod selects
  (cd "$root/tools/engine/$1" && go list -m -f '{{.Version}}' "$2")
}

start=$(date +%s)
say "go: $(go version | cut -d' ' -f3); caches in $cache"
say "downloading modules (1-2 GB on a cold cache)…"
(cd "$root/tools/engine/cli" && go mod download)
(cd "$root/tools/engine/languagehost" && go mod download)
(cd "$root/tools/engine/yamlhost" && go mod download)
say "building pulumi v$pulumi_version (the longest step: 10-20 min cold on 2 cores)…"
build cli github.com/pulumi/pulumi/pkg/v3/cmd/pulumi pulumi
say "building pulumi-language-nodejs (patched: direct-monitor.patch)…"
# The host's package copied out of the module cache into the module dir (ignored by git), and patched there.
host_source="$(cd "$root/tools/engine/languagehost" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)/nodejs/cmd/pulumi-language-nodejs"
host_copy="$root/tools/engine/languagehost/host"
rm -rf "$host_copy" && mkdir -p "$host_copy"
find "$host_source" -maxdepth 1 -name '*.go' ! -name '*_test.go' -exec cp {} "$host_copy/" \;
chmod -R u+w "$host_copy"
patch --quiet --forward --directory="$host_copy" -p1 <"$root/tools/engine/languagehost/direct-monitor.patch"
build languagehost ./host pulumi-language-nodejs
yaml_version=$(module_version yamlhost github.com/pulumi/pulumi-yaml)
say "building pulumi-language-yaml $yaml_version…"
# pulumi-yaml's release flags (its .goreleaser.yml): CGO off, stripped, the version stamped into its own package.
build yamlhost github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml pulumi-language-yaml \
  "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$yaml_version"

say "installing the helper scripts of a release archive…"
for script in "$root"/tools/engine/scripts/*; do
  install -m 0755 "$script" "$engine/bin/$(basename "$script")"
done

say "installing the OCI provider plugin as oci $oci_version…"
plugin_dir=$(mktemp -d)
trap 'rm -rf "$plugin_dir"' EXIT
# The plugin finds this checkout by its absolute path: .engine/ belongs to one checkout and is rebuilt in another.
sed "s#@ROOT@#$root#g" "$root/tools/engine/ociPlugin/pulumi-resource-oci.sh" >"$plugin_dir/pulumi-resource-oci"
chmod 0755 "$plugin_dir/pulumi-resource-oci"
tar -czf "$plugin_dir/oci.tgz" -C "$plugin_dir" pulumi-resource-oci
PULUMI_HOME="$engine/home" PULUMI_SKIP_UPDATE_CHECK=true "$engine/bin/pulumi" plugin rm resource oci --all --yes \
  >/dev/null 2>&1 || true
# The CLI keeps each plugin's schema by name and version (home/schemas/oci-<version>.json); the stand-in's schema can
# change under the same version.
rm -rf "$engine/home/schemas"
PULUMI_HOME="$engine/home" PULUMI_SKIP_UPDATE_CHECK=true "$engine/bin/pulumi" plugin install resource oci \
  "$oci_version" --file "$plugin_dir/oci.tgz"

cat >"$engine/env.sh" <<EOF
# Source me: puts the engine built by npm run engine:build on PATH, with its own plugin home.
export PATH="$engine/bin:\$PATH"
export PULUMI_HOME="$engine/home"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# Pulumi.yaml's tsconfig option, which the language host built here predates (docs/engine.md).
export PULUMI_NODEJS_TSCONFIG_PATH=tsconfig.pulumi.json
EOF

language_host_module="github.com/pulumi/pulumi/sdk/v3@$(module_version languagehost github.com/pulumi/pulumi/sdk/v3) + direct-monitor.patch"
cat >"$stamp" <<EOF
{
  "inputs": "$inputs_hash",
  "pulumi": "v$pulumi_version",
  "languageHost": "$language_host_module",
  "yamlLanguageHost": "github.com/pulumi/pulumi-yaml@$yaml_version (pulumi sdk $(module_version yamlhost github.com/pulumi/pulumi/sdk/v3))",
  "ociPlugin": "rehearsal provider as oci $oci_version",
  "go": "$(go version | cut -d' ' -f3)",
  "seconds": $(($(date +%s) - start))
}
EOF
say "done in $(($(date +%s) - start)) s: $("$engine/bin/pulumi" version) in $engine/bin; source .engine/env.sh"
