from annotator.store.project import Project
from annotator.service import import_file
from tests.conftest import SAMPLE

def test_up(pg_url):
    with Project.open(pg_url) as p:
        assert p.on_server
        o = import_file(p, SAMPLE)
        print(o)
        docs = p.documents()
        a = p.add_annotation(docs[0].id, p.labels()[0].name, 0, 5)
        assert p.annotations(docs[0].id)
        print(p.meta(), str(p.path))
    with Project.open(pg_url, create=False) as p:
        assert len(p.documents()) == 1
