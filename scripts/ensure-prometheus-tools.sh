#!/usr/bin/env bash
# pretest: the tests run Debian's promtool, amtool, prometheus and prometheus-alertmanager for real.
# Installs the two Debian packages when a tool is missing and this user may (root with apt-get);
# otherwise stops at once with the exact command to run.
set -euo pipefail
missing=()
for tool in promtool prometheus amtool prometheus-alertmanager; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0

install_cmd="apt-get update && apt-get install -y prometheus prometheus-alertmanager"
echo "missing: ${missing[*]} (from Debian's prometheus and prometheus-alertmanager packages)" >&2
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: $install_cmd" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq prometheus prometheus-alertmanager >/dev/null
  # The packages start their services; the tests start their own servers on free loopback ports.
  (systemctl stop prometheus prometheus-alertmanager 2>/dev/null || service prometheus stop 2>/dev/null || true) >/dev/null 2>&1
  exit 0
fi
echo "run as root: sudo sh -c '$install_cmd'" >&2
exit 1
