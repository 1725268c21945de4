#!/usr/bin/env bash
# The main job on the seed document: import it into a workbook, dump the model, and render
# the workbook through LibreOffice to PDF and PNG.  Outputs go to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p out
xl-addin import examples/seed.txt -o out/seed.xlsx --force
xl-addin dump out/seed.xlsx > out/seed.json
python - <<'PY'
from pathlib import Path
from xl_addin.libreoffice import convert
convert(Path("out/seed.xlsx"), "pdf", Path("out"))
PY
pdftoppm -png -r 70 -f 1 -l 5 out/seed.pdf out/seed-page
echo "输出：out/seed.xlsx  out/seed.json  out/seed.pdf  out/seed-page-*.png"
