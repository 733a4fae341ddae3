"""benchmarks/code_lines.py, the count behind the frame's size (issue 19): what it counts as code."""
from __future__ import annotations

from code_lines import FRAME, code_lines, per_function, read

SOURCE = '''"""A module's docstring,
over two lines."""
import os  # a comment after code counts as code

# a comment alone


class Box:
    """A class docstring."""
    size = 2

    @property
    def area(self):
        """A method docstring."""
        return (self.size
                * self.size)


def one_line(): "a docstring on the def's line"


def free():
    x = """not a docstring:
    a string assigned"""
    return x
'''


def test_code_lines_leave_out_blanks_comments_and_docstrings():
    # import; class line; size; decorator; def; return (two lines); one_line's def; def free; x = (two lines); return
    assert sorted(code_lines(SOURCE)) == [3, 8, 10, 12, 13, 15, 16, 19, 22, 23, 24, 25]


def test_each_line_is_counted_once_by_function_or_at_module_level():
    rows = dict(per_function(SOURCE))
    assert rows["Box.area"] == 4 and rows["free"] == 4
    assert sum(rows.values()) == len(code_lines(SOURCE))
    for path in FRAME:   # the frame's own modules, as the benchmark reads them
        source = read(path, None)
        assert sum(n for _, n in per_function(source)) == len(code_lines(source)) > 0
