#!/usr/bin/env bash
# Installs, on Debian and its derivatives, the system packages Engram needs and the machine
# lacks: an X server for tests (Xvfb), the X client tools the capture code and its tests use,
# the shared libraries Qt's xcb platform plugin loads, real fonts, the real applications the
# evaluation corpora are shown in (Chromium; xterm with bash, zsh and fish; less, vi) and the
# tools `make package` and its test use (binutils for PyInstaller, dpkg-dev,
# desktop-file-validate, appstreamcli). Only what is missing is installed; elsewhere it
# prints what to install and carries on.
set -euo pipefail

PACKAGES=(
  xvfb xauth x11-utils x11-xserver-utils xdotool matchbox-window-manager libxss1
  libtk8.6 python3-tk strace util-linux trayer
  libgl1 libegl1 libopengl0 libglib2.0-0 libfontconfig1 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxrender1 libxi6 libsm6 libice6
  fonts-dejavu-core fonts-liberation2 fonts-noto-mono fonts-noto-cjk
  chromium xterm zsh fish less vim-tiny
  binutils dpkg-dev desktop-file-utils appstream
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian system; make sure an X server (Xvfb for tests)," \
       "xdotool and Qt's xcb libraries are installed." >&2
  exit 0
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-system-deps: missing ${missing[*]}; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
