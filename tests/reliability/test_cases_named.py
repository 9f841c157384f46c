"""Every reliability case, A1 to F48, has a test here that names it, in the file of its
letter: a case whose test is removed or renamed away fails this one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
LETTERS = {"A": (1, 7), "B": (8, 13), "C": (14, 20), "D": (21, 32), "E": (33, 42), "F": (43, 48)}


def test_each_case_a1_to_f48_has_a_named_test_in_its_letters_file() -> None:
    missing = []
    for letter, (first, last) in LETTERS.items():
        (path,) = HERE.glob(f"test_{letter.lower()}_*.py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [
            node.name + "\n" + (ast.get_docstring(node) or "")
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        ]
        for number in range(first, last + 1):
            case = f"{letter}{number}"
            if not any(re.search(rf"\b(test_)?{case}\b|test_{case}_", name) for name in names):
                missing.append(case)
    assert not missing, missing
