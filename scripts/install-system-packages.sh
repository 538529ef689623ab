#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages haqbot needs, only those missing.
#   scripts/install-system-packages.sh          what the bot needs to run (Tesseract with rus+kaz, OpenCV's libraries)
#   scripts/install-system-packages.sh --test   also what the tests need (Chromium, an emoji font)
set -euo pipefail

# libgl1, libglib2.0-0: what OpenCV's wheel loads.
packages=(python3 python3-venv python3-pip tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-kaz libgl1 libglib2.0-0)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium fonts-noto-color-emoji)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "haqbot: please install these packages with your system's package manager: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "haqbot: installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
