"""`iku proof inclusion|consistency`: proofs anyone can check with RFC 9162's algorithms (here, the test's own
reading of the RFC in tests/merkle/test_merkle.py), against seals of either kind; every wrong request is a clear
message, never a traceback."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from cli.main import cli
from domain.times import parse_instant
from projections import chain, merkle
from services.runtime import Runtime
from tests.conftest import SteppingClock
from tests.merkle.test_merkle import Rfc9162

T = parse_instant


def iku(data, *args):
    return CliRunner().invoke(cli, ["--data-dir", str(data), *args])


def record(runtime, first: int, count: int) -> None:
    for n in range(first, first + count):
        runtime.record("scheduled", f"AG-{n}", title="Rapat", leaders=["sekda"], location="Aula",
                       occurred_at=T("2020-06-30T23:59"), actor="siti")


@pytest.fixture
def log(tmp_path):
    """37 events sealed (the old report's seal, of each kind), then 40 more."""
    runtime = Runtime(tmp_path / "data", database_url="", clock=SteppingClock(step=timedelta(seconds=7)))
    record(runtime, 0, 37)
    old = chain.head(runtime.fresh())
    record(runtime, 37, 40)
    entries = [chain.canonical(n, e.timestamp) for n, e in chain.stored_events(runtime.log)]
    runtime.close()
    return tmp_path / "data", old, Rfc9162(entries)


def test_inclusion_proof_of_every_position_verifies_by_the_rfc(log):
    data, old, reference = log
    root = reference.mth(0, 77)
    for position in (1, 2, 16, 37, 64, 77):
        result = iku(data, "proof", "inclusion", str(position), "--format", "json")
        assert result.exit_code == 0, result.output
        answer = json.loads(result.stdout)
        assert list(answer) == ["position", "leaf_index", "leaf_hash", "tree_size", "root", "seal", "proof", "verified"]
        assert (answer["position"], answer["leaf_index"], answer["tree_size"], answer["root"], answer["seal"]) == \
            (position, position - 1, 77, root.hex(), f"mth:77:{root.hex()}")
        proof = [bytes.fromhex(node) for node in answer["proof"]]
        assert reference.path(position - 1, 77) == proof
        assert merkle.verify_inclusion(bytes.fromhex(answer["leaf_hash"]), position - 1, 77, proof, root)
        assert answer["verified"] is True


def test_inclusion_in_an_earlier_seal_and_the_text_form(log):
    data, old, reference = log
    result = iku(data, "proof", "inclusion", "5", str(old))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"posisi 5 = daun 4 dari 37; segel {old}"
    assert lines[1] == f"hash daun: {reference.leaf(4).hex()}"
    assert lines[2] == f"bukti inklusi ({len(reference.path(4, 37))} hash, dari bawah):"
    assert [line.strip() for line in lines[3:-1]] == [node.hex() for node in reference.path(4, 37)]
    assert lines[-1] == "bukti diperiksa: cocok"
    # the old chain seal names the same log: the same proof
    by_chain = iku(data, "proof", "inclusion", "5", old.chain_text())
    assert by_chain.exit_code == 0 and by_chain.stdout.splitlines()[3:] == lines[3:]


def test_consistency_from_the_printed_seal_verifies_by_the_rfc(log):
    data, old, reference = log
    for given in (str(old), old.chain_text()):
        result = iku(data, "proof", "consistency", given, "--format", "json")
        assert result.exit_code == 0, result.output
        answer = json.loads(result.stdout)
        assert list(answer) == ["old_seal", "old_size", "old_root", "new_seal", "new_size", "new_root", "proof",
                                "verified"]
        assert (answer["old_seal"], answer["new_seal"], answer["new_root"], answer["verified"]) == \
            (given, f"mth:77:{reference.mth(0, 77).hex()}", reference.mth(0, 77).hex(), True)
        proof = [bytes.fromhex(node) for node in answer["proof"]]
        assert proof == reference.proof(37, 77)
        assert (answer["old_size"], answer["new_size"], answer["old_root"]) == (37, 77, old.root)
        assert merkle.verify_consistency(37, 77, bytes.fromhex(old.root), reference.mth(0, 77), proof)
    text = iku(data, "proof", "consistency", str(old))
    assert text.stdout.splitlines()[0] == f"dari {old} (37 peristiwa) ke mth:77:{reference.mth(0, 77).hex()} (77 peristiwa)"
    assert text.stdout.splitlines()[-1] == "bukti diperiksa: cocok, log hanya bertambah"
    by_chain = iku(data, "proof", "consistency", old.chain_text()).stdout.splitlines()
    assert by_chain[0].startswith(f"dari {old.chain_text()} (37 peristiwa) ke mth:77:")
    assert by_chain[1] == f"segel lama = pohon {old}"
    between = iku(data, "proof", "consistency", f"mth:16:{reference.mth(0, 16).hex()}", str(old))
    assert between.exit_code == 0 and json.loads(iku(
        data, "proof", "consistency", f"mth:16:{reference.mth(0, 16).hex()}", str(old), "--format", "json"
    ).stdout)["proof"] == [node.hex() for node in reference.proof(16, 37)]


def test_a_seal_of_another_log_is_not_consistent(log):
    data, old, _ = log
    forged = f"mth:37:{'1' * 64}"
    result = iku(data, "proof", "consistency", forged)
    assert result.exit_code == 1
    assert f"log ini tidak konsisten dengan segel {forged}: isinya berubah sejak segel dicetak" in result.output
    english = iku(data, "--lang", "en", "proof", "consistency", forged)
    assert "this log is not consistent with seal" in english.output


@pytest.mark.parametrize(("args", "message"), [
    (("inclusion", "78"), "iku: tidak ada peristiwa di posisi 78"),
    (("inclusion", "38", "SEAL37"), "iku: peristiwa di posisi 38 dicatat sesudah segel mth:37:"),
    (("inclusion", "50", "CHAIN37"), "iku: peristiwa di posisi 50 dicatat sesudah segel 37:"),
    (("consistency", "mth:78:" + "0" * 64), "iku: segel mth:78:" + "0" * 64 + " menunjuk 78 peristiwa, log ini baru "
                                            "berisi 77"),
    (("consistency", "5:" + "0" * 64), "iku: segel 5:" + "0" * 64 + " tidak ditemukan di rantai log ini (jalankan "
                                       "iku verify --seal)"),
    (("consistency", "SEAL77", "SEAL37"), "iku: segel lama mth:77:"),
])
def test_a_wrong_request_is_a_clear_message(log, args, message):
    data, old, reference = log
    now = f"mth:77:{reference.mth(0, 77).hex()}"
    args = tuple({"SEAL37": str(old), "CHAIN37": old.chain_text(), "SEAL77": now}.get(a, a) for a in args)
    result = iku(data, "proof", *args)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith(message), result.output
    if args[0] == "consistency" and len(args) == 3:
        assert result.output.splitlines()[-1] == f"iku: segel lama {now} lebih besar (77 peristiwa) dari segel baru {old}"


@pytest.mark.parametrize(("args", "message"), [
    (("inclusion", "0"), "0 is not in the range x>=1"),
    (("inclusion", "x"), "'x' is not a valid integer"),
    (("inclusion", "3", "bukan-segel"), "segel berbentuk mth:UKURAN:AKAR atau POSISI:DIGEST"),
])
def test_a_wrong_use_is_a_usage_error(log, args, message):
    result = iku(log[0], "proof", *args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_old_chain_seals_at_the_first_and_the_last_position(log, tmp_path):
    data, old, reference = log
    runtime = Runtime(data, database_url="")
    try:
        first = runtime.db.execute("SELECT position, digest FROM chain ORDER BY position LIMIT 1").fetchone()
        last = chain.head(runtime.db)
    finally:
        runtime.close()
    for seal, size in ((f"{first[0]}:{first[1]}", 1), (last.chain_text(), 77)):
        answer = json.loads(iku(data, "proof", "consistency", seal, "--format", "json").stdout)
        assert (answer["old_size"], answer["old_root"], answer["verified"]) == (size, reference.mth(0, size).hex(), True)


def read_model(data):
    """The read model alone, as a reader sees it between a server's start and its follower's first round."""
    from projections.db import open_readmodel

    return open_readmodel(data / "readmodel.sqlite3")


def edit(data, *statements):
    import sqlite3

    conn = sqlite3.connect(data / "readmodel.sqlite3", isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def test_a_tree_behind_the_chain_is_not_read_as_a_smaller_log(log):
    from services import proofs

    data, old, _ = log
    edit(data, "DELETE FROM merkle_leaves WHERE leaf >= 20")  # a tree that stops short of position 37
    with pytest.raises(proofs.ProofError) as partly:
        proofs.resolve(read_model(data), chain.Seal.parse(old.chain_text()))
    assert partly.value.message() == "pohon Merkle belum mencapai posisi 37; jalankan iku rebuild"
    edit(data, "DELETE FROM merkle_leaves", "DELETE FROM merkle_nodes", "DELETE FROM merkle_head")
    with pytest.raises(proofs.ProofError) as empty:
        proofs.resolve(read_model(data), chain.Seal.parse(old.chain_text()))
    assert empty.value.message() == "pohon Merkle belum mencapai posisi 37; jalankan iku rebuild"
    # a command levels the tree from the store before it reads a seal
    assert iku(data, "proof", "consistency", old.chain_text()).exit_code == 0


def test_a_tree_whose_head_miscounts_its_leaves_stops_every_command(log):
    data, old, _ = log
    edit(data, "DELETE FROM merkle_leaves WHERE leaf >= 20")
    result = iku(data, "proof", "consistency", str(old))
    assert result.exit_code == 1 and "the Merkle tree's head does not count its stored leaves" in result.output
    assert "Traceback" not in result.output


def test_an_empty_log_has_no_seal_to_prove(tmp_path):
    result = iku(tmp_path / "empty", "proof", "inclusion", "1")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "iku: log masih kosong: belum ada segel pohon Merkle"


def test_a_seal_check_names_the_seal_and_its_state(log):
    from services import proofs

    data, old, reference = log
    runtime = Runtime(data, database_url="")
    try:
        db = runtime.fresh()
        holds = proofs.check_seal(db, old)
        assert (holds.seal, holds.state, holds.proven.old.size, holds.reason) == (str(old), "holds", 37, None)
        chain_seal = chain.Seal.parse(old.chain_text())
        assert proofs.check_seal(db, chain_seal).proven.old.seal == old.chain_text()
        broken = proofs.check_seal(db, chain.Seal.parse(f"mth:37:{'1' * 64}"))
        assert (broken.seal, broken.state) == (f"mth:37:{'1' * 64}", "broken")
        absent = proofs.check_seal(db, chain.Seal.parse(f"mth:99:{'1' * 64}"))
        assert (absent.seal, absent.state, absent.proven) == (f"mth:99:{'1' * 64}", "absent", None)
        assert absent.reason.message("en") == f"seal mth:99:{'1' * 64} names 99 events, this log holds only 77"
    finally:
        runtime.close()
