#!/bin/sh
# Installed by npm run engine:build as the plugin "oci": the rehearsal's OCI provider behind the real plugin
# protocol (docs/engine.md says why it is not Oracle's). @ROOT@ is the checkout that built it.
exec node "@ROOT@/tools/engine/ociPlugin/launch.cjs" "$@"
