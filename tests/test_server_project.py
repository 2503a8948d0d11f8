"""A project on a PostgreSQL server: created on the first import or merge, refused when the
database is someone else's, opened read-only for a read-only role, every CLI command taking the
URL, the same team flow and exports as with a file, and a password nowhere it could leak."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import psycopg
import pytest

from annotator.cli import main
from annotator.core import model
from annotator.core.errors import ProjectError
from annotator.service import import_file
from annotator.store.backend import ServerAddress, is_server
from annotator.store.project import Project
from tests.conftest import SAMPLE

TEXT = "Ministers said 🇰🇭 the report\nwas fair. Observers disagreed."
OTHER = "A second article, only in Bob's copy."


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {row[0] for row in rows}


def with_role(url: str, role: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}:{password}@{rest.split('@', 1)[1]}"


# -- where a project lives -------------------------------------------------------------------


def test_urls_name_server_projects_and_hide_their_password() -> None:
    address = ServerAddress("postgresql://ann:s3cret@db.example:5433/news")
    assert is_server("postgresql://ann@db/news") and is_server("postgresql+psycopg://db/news")
    assert not is_server("news.annot") and not is_server(Path("postgresql:/x"))
    assert str(address) == "postgresql://ann@db.example:5433/news"
    assert "s3cret" not in repr(address) and address.url.password == "s3cret"
    assert address.url.drivername == "postgresql+psycopg"
    assert (address.name, address.with_suffix(".json").name) == ("news", "news.json")
    with pytest.raises(ProjectError, match="names no database"):
        ServerAddress("postgresql://ann:s3cret@db.example/")
    with pytest.raises(ProjectError) as caught:
        ServerAddress("postgresql+asyncpg://ann:s3cret@db/news")
    assert "s3cret" not in str(caught.value)


# -- creating, refusing, upgrading -----------------------------------------------------------


def test_reading_commands_on_an_empty_database_say_how_to_create_one(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["info"], ["export"], ["agreement"], ["labels"]):
        assert main([*command, pg_url]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"annotator: error: {pg_url}: the database holds no Annotator")
        assert f"annotator import {pg_url} FILE..." in err and "Traceback" not in err
    assert tables(pg_url) == set()


def test_the_first_import_creates_the_project(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", pg_url, str(SAMPLE)]) == 0
    assert "imported" in capsys.readouterr().out
    assert {"annotations", "documents", "labels", "alembic_version"} <= tables(pg_url)
    assert main(["import", pg_url, str(SAMPLE)]) == 0  # the same text again: skipped
    assert main(["info", pg_url]) == 0
    out = capsys.readouterr().out
    assert f"Project: {pg_url}" in out and "Documents: 1" in out
    assert main(["labels", pg_url]) == 0
    assert "Claim" in capsys.readouterr().out


def test_a_database_with_other_tables_is_refused_and_left_untouched(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with psycopg.connect(pg_url) as connection:
        connection.execute("CREATE TABLE invoices (id int primary key, total int)")
        connection.execute("INSERT INTO invoices VALUES (1, 100)")
    assert main(["import", pg_url, str(SAMPLE)]) == 2
    err = capsys.readouterr().err
    assert "holds other tables and no Annotator project; it was left untouched" in err
    assert tables(pg_url) == {"invoices"}
    with psycopg.connect(pg_url) as connection:
        assert connection.execute("SELECT * FROM invoices").fetchall() == [(1, 100)]


def _downgrade_to(url: str, revision: str) -> None:
    """Take a server project back to an older schema with its own migrations' downgrade."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from annotator.store import schema

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
            connection.exec_driver_sql(
                f"UPDATE project_meta SET value = '{int(revision)}' WHERE key = 'schema_version'"
            )
    finally:
        engine.dispose()


def test_an_older_schema_is_upgraded_in_one_transaction(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.store import schema

    current = schema.current_version()
    older = "0004"  # before the tombstones (0005), the search index (0006), the kept counts (0007)
    with Project.open(pg_url) as project:
        import_file(project, SAMPLE)
        (document,) = project.documents()
        project.add_annotation(document.id, "Claim", 0, 8)
        before = project.documents(), project.annotations()
        assert before[0][0].annotation_count > 0
        types = [t.name for t in project.relation_types()]
    _downgrade_to(pg_url, older)  # as an older Annotator would have left it
    old_tables = set(tables(pg_url))
    assert "annotation_deletions" not in old_tables  # 0005 adds the tombstones
    # an upgrade that fails half-way changes nothing: one transaction
    from annotator.store import database

    real = database.upgrade_schema

    def failing(connection: object) -> None:
        real(connection)  # type: ignore[arg-type]
        raise RuntimeError("the power went out")

    monkeypatch.setattr("annotator.store.server.upgrade_schema", failing)
    with pytest.raises(RuntimeError):
        Project.open(pg_url, create=False)
    assert set(tables(pg_url)) == old_tables
    monkeypatch.setattr("annotator.store.server.upgrade_schema", real)
    assert main(["info", pg_url]) == 0
    captured = capsys.readouterr()
    assert f"upgraded from schema {int(older)} to {current}" in captured.err
    with Project.open(pg_url, create=False) as project:
        assert project.migrated_from is None
        assert project.meta()["schema_version"] == str(current)
        assert (project.documents(), project.annotations()) == before  # counts filled in
        assert [t.name for t in project.relation_types()] == types
        gone = project.add_annotation(before[0][0].id, "Claim", 0, 5)
        project.delete_annotations([gone.id])  # the upgraded project records deletions
    assert "annotation_deletions" in set(tables(pg_url))
    with Project.open(pg_url, create=False) as project:  # 0006 indexed the texts there were
        word = project.document(before[0][0].id).text.split()[3]
        assert project.search(word) == [before[0][0].id]
    with psycopg.connect(pg_url) as connection:
        assert connection.execute("SELECT annotation_id FROM annotation_deletions").fetchall() == [
            (gone.id,)
        ]
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == f"{current:04d}"


def test_a_newer_schema_is_refused(pg_url: str) -> None:
    Project.open(pg_url).close()
    with psycopg.connect(pg_url) as connection:
        connection.execute("UPDATE project_meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(ProjectError, match="newer Annotator"):
        Project.open(pg_url)


# -- several clients -------------------------------------------------------------------------


def test_two_clients_adding_the_same_document_at_once_end_with_one(pg_url: str) -> None:
    Project.open(pg_url).close()
    start = threading.Barrier(4)
    results: list[int] = []

    def add() -> None:
        with Project.open(pg_url, create=False) as project:
            start.wait()
            summary = project.import_bundle(
                model.ImportedBundle([model.ImportedDocument(TEXT, "same")])
            )
            results.append(len(summary.added))

    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 0, 0, 1]
    with Project.open(pg_url, create=False) as project:
        assert [d.title for d in project.documents()] == ["same"]


def test_a_read_only_role_opens_the_project_read_only(
    pg_server: str, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import pg_cluster

    with Project.open(pg_url) as project:
        import_file(project, SAMPLE)
    role = f"reader_{pg_url.rsplit('_', 1)[1]}"
    pg_cluster.admin(pg_server, f"CREATE ROLE {role} LOGIN PASSWORD 'r3ad-only'")
    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    reader = with_role(pg_url, role, "r3ad-only")
    try:
        with Project.open(reader, read_only=None) as project:
            assert project.read_only_reason == "this role may only read the project"
            assert len(project.documents()) == 1
            with pytest.raises(ProjectError, match="read-only"):
                project.set_document_status(project.documents()[0].id, model.DocumentStatus.DONE)
        assert main(["info", reader]) == 0
        assert "r3ad-only" not in capsys.readouterr().out
        assert main(["import", reader, str(SAMPLE)]) == 2
        err = capsys.readouterr().err
        assert "this role may only read the project" in err and "r3ad-only" not in err
    finally:
        with psycopg.connect(pg_url, autocommit=True) as connection:
            connection.execute(f"DROP OWNED BY {role}")
        pg_cluster.admin(pg_server, f"DROP ROLE {role}")


# -- errors: one line, no traceback, no password ---------------------------------------------


def test_a_refused_login_is_one_line_without_the_password(
    pg_server: str, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers import pg_cluster

    role = f"locked_{pg_url.rsplit('_', 1)[1]}"
    pg_cluster.admin(pg_server, f"CREATE ROLE {role} LOGIN PASSWORD 'right-one'")
    try:
        # trust authentication lets any password in; refuse this role's connections instead
        pg_cluster.admin(
            pg_server, f"REVOKE CONNECT ON DATABASE {pg_url.rsplit('/', 1)[1]} FROM PUBLIC"
        )
        wrong = with_role(pg_url, role, "wr0ng-pa55")
        assert main(["info", wrong]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert "wr0ng-pa55" not in err and "refused the login" in err
        assert err.startswith(f"annotator: error: postgresql://{role}@")
    finally:
        pg_cluster.admin(pg_server, f"DROP ROLE {role}")


def test_an_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers.pg_cluster import free_port

    url = f"postgresql://ann:t0p-secret@127.0.0.1:{free_port()}/news"
    assert main(["info", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"annotator: error: postgresql://ann@127.0.0.1:{url.split(':')[3]}")
    assert "cannot reach the server" in err and err.count("\n") == 1
    assert "t0p-secret" not in err


def test_a_dropped_connection_is_one_line_and_the_next_write_works(
    pg_server: str, pg_url: str
) -> None:
    from tests.helpers import pg_cluster

    with Project.open(pg_url) as project:
        doc = project.import_bundle(model.ImportedBundle([model.ImportedDocument(TEXT, "t")]))
        doc_id = doc.added[0].id
        pg_cluster.admin(
            pg_server,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{pg_url.rsplit('/', 1)[1]}' AND pid <> pg_backend_pid()",
        )
        # the pool notices the dropped connection and opens another one
        project.add_annotation(doc_id, "Claim", 0, 9)
        assert len(project.annotations(doc_id)) == 1


def test_passwords_never_reach_settings_errors_or_exports(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "pa55-in-url"
    url = with_role(pg_url, "postgres", secret)  # trust authentication accepts it
    assert main(["import", url, str(SAMPLE)]) == 0
    for command in (["info", url], ["labels", url], ["agreement", url], ["export", url]):
        main(command)
        out, err = capsys.readouterr()
        assert secret not in out and secret not in err, command
    out = tmp_path / "all.json"
    assert main(["export", url, "-o", str(out)]) == 0
    assert secret not in out.read_text(encoding="utf-8")
    assert main(["merge", str(tmp_path / "copy.annot"), url]) == 0
    merged = capsys.readouterr().out
    assert secret not in merged and "merged" in merged
    with Project.open(url, create=False) as project:
        assert secret not in str(project.path) and secret not in repr(project.path)
        with pytest.raises(ProjectError) as caught, project.transaction() as s:
            s.connection().exec_driver_sql(
                "INSERT INTO annotations VALUES "
                "('x', 'no-such-doc', 1, 0, 1, 'a', '{}', '', '', '', '')"
            )
    assert str(caught.value).startswith(str(project.path) + ": database error (")
    assert secret not in str(caught.value)


# -- the team flow, the same on a file and on a server --------------------------------------


def _copy(path: Path, annotator: str, texts: list[str], spans: list[tuple[str, int, int]]) -> None:
    with Project.open(path) as project:
        project.import_bundle(
            model.ImportedBundle(
                [
                    model.ImportedDocument(text, f"doc {i}", id=f"doc-{annotator}-{i}")
                    for i, text in enumerate(texts)
                ]
            )
        )
        first = project.documents()[0].id
        for n, (label, start, end) in enumerate(spans):
            project.add_annotation(
                first, label, start, end, annotator=annotator, id=f"{annotator}-{n}"
            )


def _team_flow(target: str, folder: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    ann, bob = folder / "ann.annot", folder / "bob.annot"
    outputs = []
    assert main(["merge", target, str(ann), str(bob)]) == 0
    outputs.append(capsys.readouterr().out.replace(str(folder), "FOLDER"))
    assert main(["agreement", target, "--json"]) == 0
    outputs.append(capsys.readouterr().out)
    assert main(["adjudicate", target, "--annotators", "ann,bob", "--into", "gold"]) == 0
    outputs.append(capsys.readouterr().out)
    assert main(["agreement", target, "--json"]) == 0  # the curated layer "gold" left out
    assert capsys.readouterr().out == outputs[1]
    for layer in ("gold", "bob"):
        assert main(["export", target, "--annotator", layer]) == 0
        data = json.loads(capsys.readouterr().out)
        for document in data["documents"]:
            for annotation in document["annotations"]:
                if annotation["annotator"] == "gold":  # new ids and times: made now
                    del annotation["id"], annotation["created"], annotation["modified"]
        outputs.append(json.dumps(data, sort_keys=True))
    csv = ["export", target, "--format", "csv", "-o", str(folder / "out.csv")]
    assert main([*csv, "--annotator", "ann", "--annotator", "bob"]) == 0
    outputs.append((folder / "out.csv").read_text(encoding="utf-8-sig"))
    return outputs


def test_the_team_flow_exports_the_same_on_a_file_and_on_a_server(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _copy(tmp_path / "ann.annot", "ann", [TEXT], [("Claim", 0, 9), ("Quote", 29, 38)])
    _copy(tmp_path / "bob.annot", "bob", [TEXT, OTHER], [("Claim", 0, 9), ("Quote", 30, 38)])
    results = {}
    for kind, target in (("file", str(tmp_path / "team.annot")), ("server", pg_url)):
        results[kind] = _team_flow(target, tmp_path, capsys)
    assert results["file"] == results["server"]
    assert '"annotator": "gold"' in results["server"][3]


def test_merge_uploads_and_downloads_with_the_same_verb(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = tmp_path / "ann.annot"
    _copy(local, "ann", [TEXT], [("Claim", 0, 9)])
    assert main(["merge", pg_url, str(local)]) == 0  # upload: creates the server project
    down = tmp_path / "down.annot"
    assert main(["merge", str(down), pg_url]) == 0  # download: a new local copy
    capsys.readouterr()
    with Project.open(local) as a, Project.open(down) as b:
        assert a.annotations() == b.annotations()
        assert [d.title for d in a.documents()] == [d.title for d in b.documents()]
    assert main(["merge", pg_url, pg_url]) == 2
    assert "is the target project itself" in capsys.readouterr().err


def test_roles_set_up_as_the_readme_says_work_together(pg_server: str, pg_url: str) -> None:
    """The README's paragraph for whoever runs the server: the owner creates the project, a
    colleague granted access by default privileges writes to it."""
    from tests.helpers import pg_cluster

    suffix = pg_url.rsplit("_", 1)[1]
    owner, colleague = f"ann_{suffix}", f"bob_{suffix}"
    database = f"news_{suffix}"
    pg_cluster.admin(
        pg_server,
        f"CREATE ROLE {owner} LOGIN PASSWORD 'a'",
        f"CREATE ROLE {colleague} LOGIN PASSWORD 'b'",
        f"CREATE DATABASE {database} OWNER {owner}",
    )
    host = pg_server.split("@", 1)[1]
    try:
        with psycopg.connect(f"{pg_server}/{database}", autocommit=True) as connection:
            for grant in (
                "SELECT, INSERT, UPDATE, DELETE ON TABLES",
                "USAGE ON SEQUENCES",
            ):
                connection.execute(
                    f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT {grant} TO {colleague}"
                )
        assert main(["import", f"postgresql://{owner}:a@{host}/{database}", str(SAMPLE)]) == 0
        with Project.open(f"postgresql://{colleague}:b@{host}/{database}", create=False) as p:
            assert not p.read_only
            document = p.documents()[0].id
            p.add_annotation(document, "Claim", 0, 8, annotator="bob")
            p.set_document_status(document, model.DocumentStatus.DONE)
            from annotator.core.labels import LabelDef
            from annotator.store.codebook import merge_labels

            merge_labels(p, [LabelDef("Person", "#123456")])
            assert "Person" in [label.name for label in p.labels()]
    finally:
        pg_cluster.admin(
            pg_server,
            f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
            f"DROP ROLE {colleague}",
            f"DROP ROLE {owner}",
        )


def test_report_suggest_and_patterns_take_the_url(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", pg_url, str(SAMPLE)]) == 0
    report = tmp_path / "report.html"
    assert main(["report", pg_url, "-o", str(report)]) == 0
    assert "Cambodia" in report.read_text(encoding="utf-8")
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text('{"label": "Organisation", "pattern": "Licadho"}\n', encoding="utf-8")
    assert main(["patterns", pg_url, "--import", str(patterns)]) == 0
    capsys.readouterr()
    assert main(["patterns", pg_url]) == 0
    assert "Licadho" in capsys.readouterr().out
    suggestions = tmp_path / "suggestions.json"
    assert main(["suggest", pg_url, "-o", str(suggestions)]) == 0
    found = json.loads(suggestions.read_text(encoding="utf-8"))
    assert "Licadho" in json.dumps(found, ensure_ascii=False)
