import gc

from annotator.gui import gc_pause


def test_pauses_nest_and_collection_returns_after_the_last_one():
    assert gc.isenabled() and gc_pause.paused() == 0
    try:
        gc_pause.pause()  # an import
        gc_pause.pause()  # a backup meanwhile
        gc_pause.resume()  # the backup ends first: the import still runs
        assert not gc.isenabled()
        gc_pause.resume()
        assert gc.isenabled() and gc_pause.paused() == 0
        gc_pause.resume()  # one too many changes nothing
        assert gc.isenabled()
    finally:
        gc.enable()


def test_collection_off_before_the_first_pause_stays_off():
    gc.disable()
    try:
        gc_pause.pause()
        gc_pause.resume()
        assert not gc.isenabled()
    finally:
        gc.enable()
