#!/usr/bin/env bash
# The mutation campaign as npm test runs it: every defect of the catalogue
# (src/model/defects.ts) must be caught as a non-conformity — a scenario that
# loses its teeth makes a caught defect survive, and this script fail. Defects
# bound to a profile (the SM4 cryptogram) run on it; its clean card must pass too.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bin/ssc-lab.js mutation --quiet --parallel 2 "$@"
