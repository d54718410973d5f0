"""Four processes editing one file at once through the service: no error, no lost update, dense columns.

Each process edits only its own cards (so the end state is known from its log), but in columns
shared by all (so every move renumbers cards of the others), and logs each change it made.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections import defaultdict

from premortem_tui.domain.model import DECISIONS, RETRO_KINDS, STAGES
from premortem_tui.store.service import SessionService

PROCESSES = 4
EDITS = 200

WORKER = textwrap.dedent("""
    import json, os, random, sys, time
    from premortem_tui.domain.model import DECISIONS, RETRO_KINDS, STAGES
    from premortem_tui.store.service import SessionService

    path, tag, go, log_path, edits = sys.argv[1:6]
    rng = random.Random(tag)
    services = ["Shared 0", "Shared 1", "Shared 2"]
    failures, cms, notes = [], [], []
    log = open(log_path, "w", encoding="utf-8")

    def did(*entry):
        log.write(json.dumps(entry) + "\\n")

    open(go + "." + tag, "w").close()
    deadline = time.monotonic() + 60
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            sys.exit("never started")
        time.sleep(0.002)
    with SessionService.open(path) as service:
        for i in range(int(edits)):
            text = f"{tag}-{i}"
            op = rng.randrange(14)
            if op <= 1 or not failures:
                f = service.add_failure(rng.choice(services), text, index=rng.randrange(0, 8))
                failures.append(f.id)
                did("add_failure", f.id, f.service, text)
            elif op == 2:
                fid, service_name = rng.choice(failures), rng.choice(services)
                service.move_failure(fid, service_name, rng.randrange(0, 40))
                did("move_failure", fid, service_name)
            elif op == 3:
                fid = rng.choice(failures)
                fields = {"impact": rng.randint(1, 5), "likelihood": rng.randint(1, 5), "notes": text}
                service.update_failure(fid, **fields)
                did("update", "failure", fid, fields)
            elif op == 4 and len(failures) > 3:
                fid = failures.pop(rng.randrange(len(failures)))
                service.delete("failure", fid)
                did("delete_failure", fid)
            elif op == 5 or not cms:
                answers = rng.sample(failures, min(len(failures), rng.randint(1, 3)))
                stage = rng.choice(STAGES)
                c = service.add_countermeasure(text, answers, stage=stage, index=rng.randrange(0, 8))
                cms.append(c.id)
                did("add_cm", c.id, text, answers, stage)
            elif op == 6:
                cid = rng.choice(cms)
                fields = {"effect": rng.randint(1, 5), "owner": tag, "decision_note": text}
                service.update_countermeasure(cid, **fields)
                did("update", "cm", cid, fields)
            elif op == 7:
                cid, stage = rng.choice(cms), rng.choice(STAGES)
                service.move_countermeasure(cid, stage, rng.randrange(0, 30))
                did("move_cm", cid, stage)
            elif op == 8:
                cid, decision = rng.choice(cms), rng.choice(DECISIONS)
                service.decide(cid, decision, rng.randrange(0, 30))
                did("decide", cid, decision)
            elif op == 9:
                decision = rng.choice(DECISIONS)
                mine = [c.id for c in service.load().countermeasures if c.decision == decision and c.id in cms]
                rng.shuffle(mine)
                service.rank(decision, mine)
                did("rank", decision, mine)
            elif op == 10 or not notes:
                kind = rng.choice(RETRO_KINDS)
                n = service.add_retro(kind, text, index=rng.randrange(0, 8))
                notes.append(n.id)
                did("add_retro", n.id, kind, text)
            elif op == 11:
                nid, kind = rng.choice(notes), rng.choice(RETRO_KINDS)
                service.move_retro(nid, kind, rng.randrange(0, 30))
                did("move_retro", nid, kind)
            elif op == 12:
                nid = rng.choice(notes)
                service.update_retro(nid, text=text)
                did("update", "retro", nid, {"text": text})
            elif len(notes) > 2:
                nid = notes.pop(rng.randrange(len(notes)))
                service.delete("retro", nid)
                did("delete_retro", nid)
            else:
                cid = cms.pop(rng.randrange(len(cms)))
                service.delete("countermeasure", cid)
                did("delete_cm", cid)
    log.close()
""")


def expected_state(logs):
    """Replay every process's log: the cards the file must hold, with their fields."""
    cards = {"failure": {}, "cm": {}, "retro": {}}
    for log in logs:
        for op, *args in log:
            if op == "add_failure":
                fid, service, text = args
                cards["failure"][fid] = {"service": service, "failure": text}
            elif op == "move_failure":
                cards["failure"][args[0]]["service"] = args[1]
            elif op == "update":
                kind, card_id, fields = args
                cards[kind][card_id].update(fields)
            elif op == "delete_failure":
                del cards["failure"][args[0]]
                for cm in cards["cm"].values():
                    cm["failure_ids"] = [f for f in cm["failure_ids"] if f != args[0]]
            elif op == "add_cm":
                cid, text, answers, stage = args
                cards["cm"][cid] = {"text": text, "failure_ids": answers, "stage": stage, "decision": "undecided"}
            elif op == "move_cm":
                cards["cm"][args[0]]["stage"] = args[1]
            elif op == "decide":
                cards["cm"][args[0]]["decision"] = args[1]
            elif op == "add_retro":
                nid, kind, text = args
                cards["retro"][nid] = {"kind": kind, "text": text}
            elif op == "move_retro":
                cards["retro"][args[0]]["kind"] = args[1]
            elif op == "delete_retro":
                del cards["retro"][args[0]]
            elif op == "delete_cm":
                del cards["cm"][args[0]]
            else:
                assert op == "rank", op
    return cards


def fields_of(card, names):
    return {name: getattr(card, name) for name in names}


def assert_dense(cards, group, position):
    columns = defaultdict(list)
    for card in cards:
        columns[getattr(card, group)].append(getattr(card, position))
    for name, positions in columns.items():
        assert sorted(positions) == list(range(len(positions))), (group, name, sorted(positions))


def test_four_processes_edit_one_file_at_once(tmp_path):
    path = str(tmp_path / "shared.premortem")
    SessionService.open(path, create=True).close()
    go = str(tmp_path / "go")
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER)
    tags = [f"P{n}" for n in range(PROCESSES)]
    logs = {tag: str(tmp_path / f"{tag}.log") for tag in tags}
    procs = [subprocess.Popen([sys.executable, str(worker), path, tag, go, logs[tag], str(EDITS)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for tag in tags]
    try:
        deadline = time.monotonic() + 60
        while not all(os.path.exists(f"{go}.{tag}") for tag in tags):
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.01)
        open(go, "w").close()  # all start editing at the same moment
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    for p, (_out, err) in zip(procs, results):
        assert p.returncode == 0, err
        assert err == ""  # no error, no retry message

    replayed = []
    for tag in tags:
        with open(logs[tag], encoding="utf-8") as handle:
            replayed.append([json.loads(line) for line in handle])
    assert [len(log) for log in replayed] == [EDITS] * PROCESSES  # every edit went through
    expected = expected_state(replayed)

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    with SessionService.open(path) as service:
        w = service.load()
    # 0 lost updates: exactly the expected cards, each with the last value its process gave it
    assert {f.id: fields_of(f, expected["failure"].get(f.id, {})) for f in w.failures} == expected["failure"]
    assert {c.id: fields_of(c, expected["cm"].get(c.id, {})) for c in w.countermeasures} == expected["cm"]
    assert {n.id: fields_of(n, expected["retro"].get(n.id, {})) for n in w.retro} == expected["retro"]
    # every process's moves renumbered whole columns in their own transaction: 0..n-1 everywhere
    assert_dense(w.failures, "service", "position")
    assert_dense(w.countermeasures, "stage", "stage_position")
    assert_dense(w.countermeasures, "decision", "rank")
    assert_dense(w.retro, "kind", "position")
    # the columns really were shared
    assert {f.service for f in w.failures} == {"Shared 0", "Shared 1", "Shared 2"}
    assert {c.stage for c in w.countermeasures} <= set(STAGES)
    assert {c.decision for c in w.countermeasures} <= set(DECISIONS)
    assert {n.kind for n in w.retro} <= set(RETRO_KINDS)
    assert len({f.failure.split("-")[0] for f in w.failures}) == PROCESSES
