#!/usr/bin/env bash
# The whole scenario suite over real PC/SC: pcscd with vsmartcard's vpcd driver,
# the simulated card served to it (a fresh sample at each power-up), an
# independent PC/SC client as a smoke check, then `ssc-lab run --target pcsc`.
# Without pcscd and vpcd it says so in one line and passes, unless
# SSC_LAB_REQUIRE_PCSC=1 (CI), which turns the skip into a failure.
# It stops every process it started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

VPCD_DRIVER=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
missing=()
command -v pcscd >/dev/null 2>&1 || missing+=(pcscd)
[ -f "$VPCD_DRIVER" ] || missing+=(vsmartcard-vpcd)
node -e "require('pcsclite')" >/dev/null 2>&1 || missing+=("the pcsclite binding (libpcsclite-dev, then npm ci)")
if [ ${#missing[@]} -gt 0 ]; then
  msg="PC/SC end-to-end run skipped: missing ${missing[*]} (apt-get install pcscd libpcsclite-dev vsmartcard-vpcd opensc)"
  if [ "${SSC_LAB_REQUIRE_PCSC:-0}" = "1" ]; then echo "FAIL: $msg" >&2; exit 1; fi
  echo "$msg"
  exit 0
fi

started=()
cleanup() { for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

if ! pidof pcscd >/dev/null 2>&1; then
  pcscd -f -a >/tmp/ssc-lab-pcscd.log 2>&1 &
  started+=($!)
  sleep 1
fi

# Each APDU waits for a delayed ACK on plain loopback; a quickack route on 127.0.0.2 avoids it.
host=127.0.0.1
if ip route show table local 2>/dev/null | grep -q '127.0.0.2.*quickack'; then
  host=127.0.0.2
elif ip route add local 127.0.0.2 dev lo table local scope host src 127.0.0.2 quickack 1 2>/dev/null; then
  host=127.0.0.2
fi

node bin/ssc-lab.js sim serve --vpcd "$host:35963" --fresh --quiet >/tmp/ssc-lab-serve.log 2>&1 &
started+=($!)
reader="Virtual PCD 00 00"
for _ in $(seq 50); do
  if command -v opensc-tool >/dev/null 2>&1 && opensc-tool -l 2>/dev/null | grep -q "Yes.*$reader"; then break; fi
  sleep 0.2
done

if command -v opensc-tool >/dev/null 2>&1; then
  # independent client: SELECT the PSE, read its directory
  out=$(opensc-tool -r "$reader" -s 00A404000E315041592E5359532E444446303100 -s 00C000001C 2>&1)
  echo "$out" | grep -q "SW1=0x90, SW2=0x00" || { echo "FAIL: the virtual card did not answer opensc-tool:" >&2; echo "$out" >&2; exit 1; }
  echo "opensc-tool sees the virtual card in \"$reader\""
fi

node bin/ssc-lab.js run --target pcsc --reader "$reader" --no-html --quiet --out reports/test-pcsc "$@"
