#!/usr/bin/env bash
# The main job on the seed document, the whole chain: import it into a workbook (dumped as
# JSON and rendered to PDF/PNG), validate it with marks, fill default rows, validate again,
# consolidate, and submit.  Outputs go to out/ (the submission files to out/submission/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p out
xl-addin import examples/seed.txt -o out/seed.xlsx --force
xl-addin dump out/seed.xlsx > out/seed.json
python - <<'PY'
from pathlib import Path
from xl_addin.documents.libreoffice import convert
convert(Path("out/seed.xlsx"), "pdf", Path("out"))
PY
pdftoppm -png -r 70 -f 1 -l 5 out/seed.pdf out/seed-page

# exit code 1 means "the workbook has errors": the published seed has, so that is a result
# here, not a failure (2 and 3 still stop the job)
findings_ok() { "$@" || [ $? -eq 1 ]; }
findings_ok xl-addin validate out/seed.xlsx --write > out/seed-validation-before.txt
xl-addin fill out/seed.xlsx
findings_ok xl-addin validate out/seed.xlsx --write > out/seed-validation.txt
xl-addin consolidate out/seed.xlsx --csv out/seed-summary.csv
xl-addin submit out/seed.xlsx -o out/submission --force
echo "输出：out/seed.xlsx  out/seed.json  out/seed.pdf  out/seed-page-*.png"
echo "      out/seed-validation*.txt  out/seed-summary.csv  out/submission/（报送件 .xlsx .pdf .docx）"
