#!/usr/bin/env bash
# Installs the Debian packages Takedown needs to build, test and benchmark. Idempotent: when every
# package is already there it prints nothing and touches nothing. Needs root (or sudo) only when
# something is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake make ninja-build pkg-config clang clang-format libclang-rt-14-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libjpeg-turbo-progs libturbojpeg0-dev libfaiss-dev
  # image decoders
  libjpeg62-turbo-dev libpng-dev libwebp-dev libgif-dev libtiff-dev libheif-dev libstb-dev
  # video decoders (and the ffmpeg command the tests make variants with)
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev ffmpeg
  # digests, CLI, JSON
  libssl-dev libcli11-dev nlohmann-json3-dev libxxhash-dev
  # server: storage, HTTP, crypto, URLs, data files
  libsqlite3-dev libpqxx-dev libpq-dev postgresql libcpp-httplib-dev libmicrohttpd-dev libsodium-dev
  libtomlplusplus-dev libpsl-dev libidn2-dev libcurl4-openssl-dev
  # discovery: HTML parsing, feed and sitemap parsing (fetching is libcurl, above)
  libgumbo-dev libpugixml-dev
  # notice rendering: mustache templates (mstch, which brings boost's headers)
  libmstch-dev
  # notice delivery tests: a real SMTP server (aiosmtpd), a real IMAP server for the archive
  # check (Dovecot, run by the tests from their own config), and openssl for test certificates
  python3-aiosmtpd dovecot-imapd openssl
  # the StopNCII feed's test runs Meta's client (../shared/peers/python-threatexchange) with these
  python3-requests python3-dacite
  # replies to notices: MIME, charsets and RFC 2047 (GMime), HTML-only bodies (libxml2)
  libgmime-3.0-dev libxml2-dev
  # the advocacy report: PDF (cairo, Pango, librsvg), a Traditional Chinese font, poppler's tools
  libcairo2-dev libpango1.0-dev librsvg2-dev fonts-wqy-microhei poppler-utils
  # HTTP benchmark; the reverse proxy the deployment test runs in front of the server
  wrk nginx
  # survivor pages (web/): the hashing core to WebAssembly, Node + npm for Vite, Chromium for tests
  emscripten chromium nodejs npm
)
# A Node installed from elsewhere (e.g. NodeSource's nodejs, which bundles npm) already does;
# Debian's npm would conflict with it.
if command -v npm >/dev/null && ! dpkg-query -W -f='${Status}' npm 2>/dev/null | grep -q 'ok installed'; then
  for i in "${!PACKAGES[@]}"; do [ "${PACKAGES[$i]}" != npm ] || unset 'PACKAGES[i]'; done
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# The tests start Dovecot themselves on loopback; the system service that the package starts
# (IMAP on every interface) is not wanted on a build machine.
if [[ " ${missing[*]} " == *" dovecot-imapd "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
fi
# Likewise nginx: the deployment test runs its own on loopback; the packaged site on port 80 is not
# wanted.
if [[ " ${missing[*]} " == *" nginx "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now nginx.service >/dev/null 2>&1 || true
fi
