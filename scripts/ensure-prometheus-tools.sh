#!/usr/bin/env bash
# pretest: the tests run Debian's promtool, amtool, prometheus and prometheus-alertmanager for real,
# and the end-to-end test real dependencies: redis-server, Postgres 15 and the redis, postgres and
# blackbox exporters. Installs the Debian packages when a tool is missing and this user may (root
# with apt-get); otherwise stops at once with the exact command to run.
set -euo pipefail
packages=(prometheus prometheus-alertmanager redis-server postgresql prometheus-redis-exporter prometheus-postgres-exporter prometheus-blackbox-exporter)
missing=()
for tool in promtool prometheus amtool prometheus-alertmanager redis-server prometheus-redis-exporter prometheus-postgres-exporter prometheus-blackbox-exporter; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
# Postgres' server binaries are not on PATH (postgresql-15 puts them under /usr/lib/postgresql/15/bin).
[ -x /usr/lib/postgresql/15/bin/postgres ] && [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=("postgres 15")
[ ${#missing[@]} -eq 0 ] && exit 0

install_cmd="apt-get update && apt-get install -y ${packages[*]}"
echo "missing: ${missing[*]} (from Debian's ${packages[*]} packages)" >&2
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: $install_cmd" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null
  # The packages start their services; the tests start their own servers on free loopback ports.
  for unit in prometheus prometheus-alertmanager redis-server postgresql prometheus-redis-exporter prometheus-postgres-exporter prometheus-blackbox-exporter; do
    (systemctl stop "$unit" 2>/dev/null || service "$unit" stop 2>/dev/null || true) >/dev/null 2>&1
  done
  exit 0
fi
echo "run as root: sudo sh -c '$install_cmd'" >&2
exit 1
