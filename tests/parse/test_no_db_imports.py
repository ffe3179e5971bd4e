"""The parse layer must not pull in the database layer."""

from __future__ import annotations

import subprocess
import sys


def test_parse_layer_imports_no_database_module():
    code = (
        "import sys, etl.parse, etl.parse.export\n"
        "from etl.parse import parse_text\n"
        "parse_text('本报讯 1月7日下午，市政协副主席杨磊主持会议。\\n')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'psycopg', 'psycopg2', 'alembic')"
        " or m == 'etl.db' or m.startswith('etl.db.')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_importing_etl_parse_does_not_load_jieba():
    code = "import sys, etl.parse; sys.exit(1 if 'jieba' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
