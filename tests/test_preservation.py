"""After a command, the parts of the workbook the command does not own are unchanged."""

from __future__ import annotations

import io
import zipfile

from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.workbook.defined_name import DefinedName
from PIL import Image as PILImage

from xl_addin.cli import cli


def _png() -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (40, 20), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def _user_content(path) -> bytes:
    wb = load_workbook(path)
    ws = wb.create_sheet("我的资料")
    ws["A1"] = "单位自己的资料"
    ws["A1"].comment = Comment("请保留", "王五")
    png = _png()
    ws.add_image(Image(io.BytesIO(png)), "C3")
    wb.defined_names["MY_RANGE"] = DefinedName("MY_RANGE", attr_text="'我的资料'!$A$1")
    wb["车辆保险费"]["E3"].comment = Comment("这是我的批注", "王五")
    wb.save(path)
    return png


def _media(path) -> list[bytes]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n) for n in sorted(z.namelist()) if n.startswith("xl/media/")]


def test_commands_keep_user_parts(seed_copy) -> None:
    png = _user_content(seed_copy)
    for args in (["fill"], ["add-project", "--name", "新项目"]):
        result = CliRunner().invoke(cli, [args[0], str(seed_copy), *args[1:]])
        assert result.exit_code == 0, result.output
        assert _media(seed_copy) == [png]
        wb = load_workbook(seed_copy)
        assert wb["我的资料"]["A1"].value == "单位自己的资料"
        assert wb["我的资料"]["A1"].comment.text == "请保留"
        assert wb["我的资料"]._images and wb["我的资料"]._images[0].anchor._from.row == 2
        assert wb.defined_names["MY_RANGE"].attr_text == "'我的资料'!$A$1"
        assert wb["车辆保险费"]["E3"].comment.text == "这是我的批注"
