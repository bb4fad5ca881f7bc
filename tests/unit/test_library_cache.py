"""The checked library kept for the next start-up: the same library, and never a stale one."""

import shutil

import pytest

from server.library import LibraryError, load_library


@pytest.fixture
def folder(tmp_path):
    made = tmp_path / "exercises"
    shutil.copytree("exercises", made)
    return made


def test_a_library_from_the_cache_is_the_one_the_files_give(folder, tmp_path):
    cache = tmp_path / "cache"
    fresh = load_library(folder, cache_dir=cache)
    assert len(list(cache.glob("library-*.json"))) == 1
    again = load_library(folder, cache_dir=cache)
    assert again.exercises == fresh.exercises == load_library(folder).exercises
    assert again.feelings == fresh.feelings and again.distress == fresh.distress
    assert again.feeling(fresh.feelings[0]["feelings"][0]["id"])


def test_the_cache_is_read_instead_of_the_files_when_nothing_changed(folder, tmp_path):
    cache = tmp_path / "cache"
    load_library(folder, cache_dir=cache)
    (kept,) = cache.glob("library-*.json")
    # Plant a marker in the cached copy: a load that reads the cache returns it.
    kept.write_text(kept.read_text(encoding="utf-8").replace('"Take the floor"', '"Cached title"', 1), encoding="utf-8")
    assert load_library(folder, cache_dir=cache).exercises["take-the-floor"]["title"] == "Cached title"
    assert load_library(folder).exercises["take-the-floor"]["title"] != "Cached title"


def test_a_changed_file_is_checked_again_and_a_bad_one_still_stops_the_load(folder, tmp_path):
    cache = tmp_path / "cache"
    load_library(folder, cache_dir=cache)
    file = folder / "take-the-floor.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("id: take-the-floor", "id: take-the-floors"),
                    encoding="utf-8")
    with pytest.raises(LibraryError, match="take-the-floor"):
        load_library(folder, cache_dir=cache)


def test_a_changed_file_is_loaded_afresh(folder, tmp_path):
    cache = tmp_path / "cache"
    before = load_library(folder, cache_dir=cache)
    file = folder / "take-the-floor.yaml"
    title = before.exercises["take-the-floor"]["title"]
    file.write_text(file.read_text(encoding="utf-8").replace(title, title + " today", 1), encoding="utf-8")
    after = load_library(folder, cache_dir=cache)
    assert after.exercises["take-the-floor"]["title"] == title + " today"
    assert len(list(cache.glob("library-*.json"))) == 1  # the old one is gone


def test_a_cache_that_cannot_be_written_or_read_is_passed_by(folder, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be")
    assert load_library(folder, cache_dir=blocked).exercises == load_library(folder).exercises
    cache = tmp_path / "cache"
    load_library(folder, cache_dir=cache)
    (kept,) = cache.glob("library-*.json")
    kept.write_text("{not json")
    assert load_library(folder, cache_dir=cache).exercises == load_library(folder).exercises
