"""Markup rules (M): a hit, a near miss and the exact line and column for
each; mistakes injected into a real 10.2.2 block; the corpus findings."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from qapilint.lint.engine import load_rules, run_rules
from qapilint.lint.rule import Finding
from qapilint.schema.loader import load_schema
from qapilint.schema.tree import read_tree
from tests.lint import lint_files, lint_text

THING = (
    "##\n# @Thing:\n#\n# A thing.\n#\n# @id: its id\n#\n# Since: 1.0\n##\n"
    "{ 'struct': 'Thing', 'data': { 'id': 'str' } }\n\n"
)
PLUG = "{ 'command': 'plug', 'data': { 'id': 'str', '*force': 'bool' } }\n"
PLUGGED = "{ 'event': 'PLUGGED', 'data': { 'id': 'str' } }\n"


def doc(symbol: str, body: str, expr: str) -> str:
    lines = ["##", f"# @{symbol}:", "#"]
    lines += [f"# {line}" if line else "#" for line in body.strip("\n").split("\n")]
    return "\n".join([*lines, "##", expr]) + "\n"


def plug(body: str) -> str:
    """THING, then the command ``plug`` documented with ``body`` (its doc
    starts on line 12: body line N is file line 13 + N)."""
    return THING + doc("plug", body, PLUG) + "\n" + doc("PLUGGED", "Plugged.", PLUGGED)


def where(findings: list[Finding], code: str) -> list[tuple[int, int]]:
    return [(f.span.line, f.span.col) for f in findings if f.code == code]


MEMBERS = "@id: the id\n\n@force: force it\n\nSince: 1.0\n"


# --------------------------------------------------------------------------
# M101 rst-inline-markup


def test_unclosed_inline_literal(tmp_path: Path) -> None:
    text = plug(f"Plug the ``thing in.\n\n{MEMBERS}")
    findings = lint_text(tmp_path, text, ("M",))
    assert where(findings, "M101") == [(15, 12)]  # the ``
    assert "Inline literal" in findings[0].message


def test_closed_inline_literal_is_fine(tmp_path: Path) -> None:
    assert lint_text(tmp_path, plug(f"Plug the ``thing`` in.\n\n{MEMBERS}"), ("M",)) == []


def test_unclosed_emphasis_in_a_member_description(tmp_path: Path) -> None:
    body = "Plug it.\n\n@id: the id, *not the\n    name\n\n@force: force it\n\nSince: 1.0\n"
    findings = lint_text(tmp_path, plug(body), ("M",))
    assert where(findings, "M101") == [(17, 16)]


def test_at_name_rewrite_keeps_columns(tmp_path: Path) -> None:
    # "@id" becomes ``id`` (four more characters): the column is still right
    body = "Plug it.\n\n@id: the @id, see ``this\n\n@force: force it\n\nSince: 1.0\n"
    findings = lint_text(tmp_path, plug(body), ("M",))
    assert where(findings, "M101") == [(17, 21)]


# --------------------------------------------------------------------------
# M102 rst-indentation


def test_unexpected_indentation(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, plug(f"Plug it\nnow.\n  Then wait.\n\n{MEMBERS}"), ("M",))
    assert where(findings, "M102") == [(17, 5)]


def test_continuation_indentation_of_a_member_is_fine(tmp_path: Path) -> None:
    body = "Plug it.\n\n@id: the id,\n    on two lines\n\n@force: force it\n\nSince: 1.0\n"
    assert lint_text(tmp_path, plug(body), ("M",)) == []


# --------------------------------------------------------------------------
# M103 rst-unknown-markup


def test_unknown_role(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, plug(f"Plug it, see :bogus:`x`.\n\n{MEMBERS}"), ("M",))
    assert where(findings, "M103") == [(15, 16)]


def test_sphinx_and_qapi_roles_are_known(tmp_path: Path) -> None:
    body = f"Plug it, see :qapi:type:`Thing`, :doc:`/interop/qmp` and :ref:`x`.\n\n{MEMBERS}"
    assert lint_text(tmp_path, plug(body), ("M",)) == []


def test_unknown_directive(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, plug(f"Plug it.\n\n.. notice:: careful\n\n{MEMBERS}"), ("M",))
    assert where(findings, "M103") == [(17, 3)]


def test_note_directive_is_known(tmp_path: Path) -> None:
    assert lint_text(tmp_path, plug(f"Plug it.\n\n.. note:: careful\n\n{MEMBERS}"), ("M",)) == []


# --------------------------------------------------------------------------
# M104 rst-table


def test_malformed_table(tmp_path: Path) -> None:
    table = "+-----+-----+\n| a   | b   |\n+-----+---+\n"
    findings = lint_text(tmp_path, plug(f"Plug it.\n\n{table}\n{MEMBERS}"), ("M",))
    assert where(findings, "M104") == [(19, 3)]  # the bad border


def test_good_table(tmp_path: Path) -> None:
    table = "+-----+-----+\n| a   | b   |\n+-----+-----+\n"
    assert lint_text(tmp_path, plug(f"Plug it.\n\n{table}\n{MEMBERS}"), ("M",)) == []


# --------------------------------------------------------------------------
# M105 rst-literal-block


def test_literal_block_without_blank_line(tmp_path: Path) -> None:
    body = f"Plug it like this::\n    plug --now\n\n{MEMBERS}"
    findings = lint_text(tmp_path, plug(body), ("M",))
    assert where(findings, "M105") == [(16, 7)]
    assert where(findings, "M102") == []  # one defect, one finding


def test_literal_block_with_blank_line(tmp_path: Path) -> None:
    body = f"Plug it like this::\n\n    plug --now\n\n{MEMBERS}"
    assert lint_text(tmp_path, plug(body), ("M",)) == []


# --------------------------------------------------------------------------
# M109 rst-problem


def test_duplicate_target(tmp_path: Path) -> None:
    body = ".. _plug:\n\nPlug it.\n\n.. _plug:\n\nAgain.\n"
    findings = lint_text(tmp_path, plug(f"{body}\n{MEMBERS}"), ("M",))
    assert [f.code for f in findings] == ["M109"]
    assert where(findings, "M109") == [(19, 3)]  # the second target
    assert "Duplicate explicit target name" in findings[0].message


def test_title_underline_long_enough(tmp_path: Path) -> None:
    text = "##\n# Plugging\n# ========\n#\n# Text.\n##\n\n" + THING
    assert lint_text(tmp_path, text, ("M",)) == []


# --------------------------------------------------------------------------
# M106 indentation-structure


def test_indented_line_makes_a_definition_list(tmp_path: Path) -> None:
    body = f"Plug the device into the bus\n    selected by the board.\n\n{MEMBERS}"
    findings = lint_text(tmp_path, plug(body), ("M",))
    assert where(findings, "M106") == [(16, 7)]  # the indented line
    assert "'Plug the device into the bus'" in findings[0].message
    assert [f.code for f in findings] == ["M106"]  # docutils says nothing


def test_indented_paragraph_makes_a_block_quote(tmp_path: Path) -> None:
    body = f"Plug it:\n\n  the device, then the bus.\n\n{MEMBERS}"
    findings = lint_text(tmp_path, plug(body), ("M",))
    assert where(findings, "M106") == [(17, 5)]
    assert "block quote" in findings[0].message


def test_indented_lines_that_keep_their_structure(tmp_path: Path) -> None:
    body = (
        "Plug it like this::\n\n    plug --now\n\n"  # a literal block
        "- a list item\n  continued\n\n"  # a list item's continuation
        "@id: the id,\n    on two lines\n\n@force: force it\n\nSince: 1.0\n"
    )
    assert lint_text(tmp_path, plug(body), ("M",)) == []


def test_indentation_docutils_warns_about_is_m102s(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, plug(f"Plug it\nnow.\n  Then wait.\n\n{MEMBERS}"), ("M",))
    assert [f.code for f in findings] == ["M102"]


# --------------------------------------------------------------------------
# M107 legacy-heading

LEGACY = "##\n# == Plugging things\n#\n# Text.\n##\n\n" + THING


def test_legacy_heading(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, LEGACY, ("M",), version="10.2.0")
    assert where(findings, "M107") == [(2, 3)]
    fix = findings[0].fix
    assert fix is not None and fix.applicability == "suggestion"
    assert fix.edits[0].text == "Plugging things\n# ==============="


def test_legacy_top_heading_is_over_and_underlined(tmp_path: Path) -> None:
    text = LEGACY.replace("# == Plugging things", "# = Plugging")
    findings = lint_text(tmp_path, text, ("M107",), version="10.2.0")
    assert findings[0].fix is not None
    assert findings[0].fix.edits[0].text == "********\n# Plugging\n# ********"


def test_legacy_heading_on_a_tree_that_still_reads_it(tmp_path: Path) -> None:
    assert lint_text(tmp_path, LEGACY, ("M",), version="7.2.0") == []


def test_equals_signs_that_are_no_legacy_heading(tmp_path: Path) -> None:
    table = "# =====  =====\n# a      b\n# =====  =====\n"
    text = f"##\n# Plugging\n# ========\n#\n# a == b, and\n#\n{table}##\n\n"
    assert lint_text(tmp_path, text + THING, ("M",), version="10.2.0") == []


# --------------------------------------------------------------------------
# M108 rst-title


def test_short_title_underline(tmp_path: Path) -> None:
    text = "##\n# Plugging\n# =====\n#\n# Text.\n##\n\n" + THING
    findings = lint_text(tmp_path, text, ("M",))
    assert where(findings, "M108") == [(2, 3)]  # the title, not the underline
    assert "Title underline too short" in findings[0].message


def test_underline_too_short_for_docutils_to_warn(tmp_path: Path) -> None:
    text = "##\n# Plugging\n# ==\n#\n# Text.\n##\n\n" + THING
    findings = lint_text(tmp_path, text, ("M",))
    assert where(findings, "M108") == [(2, 3)]
    assert "paragraph" in findings[0].message


def test_overline_and_underline_mismatch(tmp_path: Path) -> None:
    text = "##\n# ********\n# Plugging\n# ========\n#\n# Text.\n##\n\n" + THING
    findings = lint_text(tmp_path, text, ("M",))
    assert where(findings, "M108") == [(3, 3)]
    assert "mismatch" in findings[0].message


def test_over_and_underlined_title(tmp_path: Path) -> None:
    text = "##\n# ********\n# Plugging\n# ********\n#\n# Text.\n##\n\n" + THING
    assert lint_text(tmp_path, text, ("M",)) == []


# --------------------------------------------------------------------------
# M110 unresolved-reference


def test_unresolved_reference(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, plug(f"Plug a `Thingy` in.\n\n{MEMBERS}"), ("M",))
    assert where(findings, "M110") == [(15, 10)]
    assert "`Thingy`" in findings[0].message


def test_resolved_references(tmp_path: Path) -> None:
    body = f"Plug a `Thing` (see `PLUGGED`, `qapi-qmp-index`, `the thing <Thing>`).\n\n{MEMBERS}"
    assert lint_text(tmp_path, plug(body), ("M",)) == []


def test_doc_and_ref_are_not_checked(tmp_path: Path) -> None:
    body = f"See :doc:`/nowhere` and :ref:`nothing`.\n\n{MEMBERS}"
    assert lint_text(tmp_path, plug(body), ("M",)) == []


def test_reference_to_another_schema_of_the_manual(tmp_path: Path) -> None:
    agent = "##\n# @guest-ping:\n#\n# Ping.\n#\n# Since: 1.0\n##\n{ 'command': 'guest-ping' }\n"
    files = {
        "qapi/qapi-schema.json": plug(f"Like `guest-ping`, `guest-pong`.\n\n{MEMBERS}"),
        "qga/qapi-schema.json": agent,
    }
    findings = lint_files(tmp_path, files, ("M",), version="10.2.0")
    assert [f.message for f in findings] == [
        "cross-reference `guest-pong` names no definition of the schema"
    ]


# --------------------------------------------------------------------------
# M120-M123 QMP examples

EXAMPLE = '.. qmp-example::\n\n    {}\n    <- {{ "return": {{}} }}\n'


def example(message: str) -> str:
    return plug(f"Plug it.\n\n{MEMBERS}\n" + EXAMPLE.format(message))


def test_invalid_json(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, example('-> { "execute": "plug" }, "x"'), ("M",))
    assert where(findings, "M120") == [(25, 7)]
    assert "(line 1 of the message, column 31)" in findings[0].message
    assert (findings[0].span.end_line, findings[0].span.end_col) == (25, 32)


def test_elisions_are_taken_out(tmp_path: Path) -> None:
    message = '-> { "execute": "plug", "arguments": { "id": ..., ... } }'
    assert lint_text(tmp_path, example(message), ("M",)) == []
    list_elision = '-> { "execute": "plug", "arguments": { "id": "a" }, "x": [ 1, ... ] }'
    assert where(lint_text(tmp_path, example(list_elision), ("M",)), "M120") == []


def test_prose_after_an_arrow_is_not_json(tmp_path: Path) -> None:
    assert lint_text(tmp_path, example("-> ... text sent by the client ..."), ("M",)) == []


def test_unknown_command(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, example('-> { "execute": "unplug" }'), ("M",))
    assert where(findings, "M121") == [(25, 7)]
    assert "'unplug'" in findings[0].message


def test_known_command(tmp_path: Path) -> None:
    message = '-> { "execute": "plug", "arguments": { "id": "a", "force": true } }'
    assert lint_text(tmp_path, example(message), ("M",)) == []


def test_unknown_argument(tmp_path: Path) -> None:
    message = '-> { "execute": "plug", "arguments": { "id": "a", "forced": true } }'
    findings = lint_text(tmp_path, example(message), ("M",))
    assert where(findings, "M122") == [(25, 7)]
    assert "'forced'" in findings[0].message


def test_arguments_through_a_boxed_union(tmp_path: Path) -> None:
    types = (
        "{ 'enum': 'Kind', 'data': [ 'a', 'b' ] }\n"
        "{ 'struct': 'Base', 'data': { 'kind': 'Kind' } }\n"
        "{ 'struct': 'OptsA', 'data': { 'size': 'int' } }\n"
        "{ 'struct': 'OptsB', 'data': { 'name': 'str' } }\n"
        "{ 'union': 'Opts', 'base': 'Base', 'discriminator': 'kind',\n"
        "  'data': { 'a': 'OptsA', 'b': 'OptsB' } }\n"
        "{ 'command': 'make', 'data': 'Opts', 'boxed': true }\n"
    )
    good = '-> { "execute": "make", "arguments": { "kind": "b", "name": "x" } }'
    bad = '-> { "execute": "make", "arguments": { "kind": "b", "nam": "x" } }'
    assert where(lint_text(tmp_path, types + example(good), ("M",)), "M122") == []
    findings = lint_text(tmp_path, types + example(bad), ("M",))
    assert [f.member for f in findings if f.code == "M122"] == ["nam"]


def test_unknown_and_known_event(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, example('<- { "event": "UNPLUGGED" }'), ("M",))
    assert where(findings, "M123") == [(25, 7)]
    assert lint_text(tmp_path, example('<- { "event": "PLUGGED" }'), ("M",)) == []


def test_old_example_section(tmp_path: Path) -> None:
    body = "Plug it.\n\n" + MEMBERS + '\nExample:\n\n-> { "execute": "plug"\n<- { }\n'
    findings = lint_text(tmp_path, plug(body), ("M",), version="7.2.0")
    assert where(findings, "M120") == [(25, 3)]


# --------------------------------------------------------------------------
# The real corpus


def _copy_root(corpus: Path, tmp_path: Path) -> Path:
    tree = tmp_path / "qemu"
    shutil.copytree(corpus / "qemu-10.2.2" / "qapi", tree / "qapi")
    shutil.copy(corpus / "qemu-10.2.2" / "VERSION", tree / "VERSION")
    return tree


def _replace_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_injected_mistakes_in_a_real_block(corpus: Path, tmp_path: Path) -> None:
    """``stop`` and ``cont`` of qapi/misc.json, copied and broken four ways:
    each mistake is reported on its own line, nothing else in the file."""
    tree = _copy_root(corpus, tmp_path)
    misc = tree / "qapi" / "misc.json"
    lines = misc.read_text(encoding="utf-8").split("\n")
    stop = lines.index("# @stop:") + 1
    cont = lines.index("# @cont:") + 1
    stop_text = stop + 2  # "# Stop guest VM execution."
    stop_example = lines.index('#     -> { "execute": "stop" }', stop) + 1
    cont_example = lines.index('#     -> { "execute": "cont" }', cont) + 1
    cont_text = cont + 2  # "# Resume guest VM execution."
    _replace_line(misc, stop_text, "Stop guest", "Stop ``guest")
    _replace_line(misc, cont_text, "guest VM", "`NoSuchType` guest VM")
    _replace_line(misc, stop_example, '"stop" }', '"stop" }}')
    _replace_line(misc, cont_example, '"cont"', '"contt"')
    schema = load_schema(tree / "qapi" / "qapi-schema.json", tree)
    rules = [r for r in load_rules() if r.code.startswith("M")]
    found = {
        (f.code, f.span.line, f.span.col)
        for f in run_rules(rules, schema, read_tree(tree))
        if f.path is not None and f.path.name == "misc.json"
    }
    assert found == {
        ("M101", stop_text, 8),
        ("M110", cont_text, 10),
        ("M120", stop_example, 7),
        ("M121", cont_example, 7),
    }


def test_the_unchanged_corpus(corpus: Path) -> None:
    """On 10.2.2 the M rules find the four known broken examples and one
    more (a ``query-blockstats`` reply missing three commas), the legacy
    heading of ``acpi-hest.json`` and two indented blocks that render as
    block quotes (a list, a formula), nothing else."""
    tree_root = corpus / "qemu-10.2.2"
    rules = [r for r in load_rules() if r.code.startswith("M")]
    found = set()
    for root in (
        "qapi/qapi-schema.json",
        "qga/qapi-schema.json",
        "storage-daemon/qapi/qapi-schema.json",
        "docs/interop/firmware.json",
        "docs/interop/vhost-user.json",
    ):
        schema = load_schema(tree_root / root, tree_root)
        for f in run_rules(rules, schema, read_tree(tree_root)):
            assert f.path is not None
            found.add((f.code, f.path.relative_to(tree_root).as_posix(), f.span.line))
    assert found == {
        ("M120", "qapi/machine.json", 229),
        ("M120", "qapi/machine.json", 1817),
        ("M120", "qapi/migration.json", 2356),
        ("M120", "qapi/migration.json", 2380),
        ("M120", "qapi/block-core.json", 1270),
        ("M107", "qapi/acpi-hest.json", 6),
        ("M106", "qapi/block-core.json", 5026),
        ("M106", "qapi/machine.json", 1093),
    }


def test_docutils_is_not_imported_without_an_m_rule(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(plug(f"Plug it.\n\n{MEMBERS}"), encoding="utf-8")
    code = (
        "import sys\nfrom qapilint.cli import main\n"
        f"main(['check', '--quiet', {str(schema)!r}])\n"
        "print('docutils' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stdout + done.stderr


def test_no_stderr_from_docutils(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text(plug(f"Plug the ``thing\nnow.\n  Then.\n\n{MEMBERS}"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "qapilint", "check", "--select", "M", "--preview", str(schema)],
        capture_output=True,
        text=True,
        check=False,
        env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
    )
    assert done.stderr == ""
    assert "M101" in done.stdout and "M102" in done.stdout
