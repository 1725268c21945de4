#!/usr/bin/env bash
# Everything a fresh Debian/Ubuntu machine needs: LibreOffice (headless Calc and Writer), a CJK font,
# poppler (pdftotext/pdftoppm), and the package with its test tools in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc-nogui)
# Writer: the import tests make their PDFs from .docx and HTML documents
dpkg-query -W -f='${Status}' libreoffice-writer-nogui 2>/dev/null | grep -q "ok installed" \
  || need_apt+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
# Python-UNO: LibreOffice writes the add-in's VBA project (xl-addin build-addin)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need_apt+=(python3-uno)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || need_apt+=(fonts-wqy-microhei)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
