#!/usr/bin/env bash
# Installs INN 2.7 (the inn2 package) for the NNTP scenarios. Debian 12, as
# root. The package's own instance is not used: nntp-up.sh runs a private
# innd on loopback with its configuration under $NETRUN_REALSERVERS.
#
# inn2's setup fails on a host without a domain name (its inn.conf then
# holds no valid FQDN) and, when Postfix was installed with "No
# configuration", in newaliases. Both are handled: the domain is set to
# example.test and the configuration run again (the second run finds the
# usenet alias made by the first and skips newaliases).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
installed() { dpkg -s inn2 2>/dev/null | grep -q '^Status: install ok installed'; }
if installed && [ -x /usr/lib/news/bin/innd ]; then
  exit 0
fi
apt-get update -qq
if ! apt-get install -y -qq --no-install-recommends inn2 openssl >/dev/null; then
  sed -i 's/^#*domain:.*$/domain:                      example.test/' /etc/news/inn.conf
  dpkg --configure -a >/dev/null 2>&1 || dpkg --configure -a >/dev/null
fi
installed || { echo "inn2 did not install" >&2; exit 1; }
