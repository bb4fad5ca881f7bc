"""The safety page's settings: a deployer's file of helplines per country and the "Leave quickly"
address, checked at start-up so that a mistake is a clear sentence, never a broken page."""

import json
from pathlib import Path

import pytest

from server.safety_resources import DEFAULT_EXIT_URL, SafetyError, load_safety

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "safety-resources.example.yaml"

ONE_COUNTRY = """\
note: Riverside Counselling can also see you on your own; call the front desk.
countries:
  - name: Testland
    region: TL
    emergency: "112"
    lines:
      - name: Testland Helpline
        phone: "+99 800 123 456"
        hours: 24 hours
"""


def written(tmp_path, text, name="safety.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def problems_of(path, exit_url=None):
    with pytest.raises(SafetyError) as refused:
        load_safety(path, exit_url)
    return [str(p) for p in refused.value.problems]


def test_without_a_file_there_are_no_lines_and_leave_quickly_goes_to_an_everyday_page():
    settings = load_safety(None)
    assert settings == {"exit_url": DEFAULT_EXIT_URL, "note": None, "countries": []}
    assert DEFAULT_EXIT_URL.startswith("https://")


def test_a_file_gives_its_note_and_lines_and_the_exit_address_is_the_one_set(tmp_path):
    settings = load_safety(written(tmp_path, ONE_COUNTRY), "https://weather.example/today")
    assert settings["exit_url"] == "https://weather.example/today"
    assert settings["note"].startswith("Riverside Counselling")
    (country,) = settings["countries"]
    assert country["region"] == "TL" and country["emergency"] == "112"
    assert country["lines"] == [{"name": "Testland Helpline", "phone": "+99 800 123 456", "hours": "24 hours"}]


def test_a_json_file_is_read_as_well(tmp_path):
    doc = {"countries": [{"name": "Testland", "lines": [{"name": "Chat", "url": "https://help.example/chat"}]}]}
    settings = load_safety(written(tmp_path, json.dumps(doc), "safety.json"))
    assert settings["countries"] == doc["countries"]


def test_the_shipped_example_file_loads():
    regions = {country["region"] for country in load_safety(str(EXAMPLE))["countries"]}
    assert {"GB", "US", "AU"} <= regions


def test_a_missing_file_is_named_with_its_setting(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert problems_of(str(missing)) == [f"SAFETY_RESOURCES {missing}: cannot be read: there is no such file"]


def test_a_line_nobody_can_reach_is_refused_naming_the_field(tmp_path):
    path = written(tmp_path, "countries:\n  - name: Testland\n    lines:\n      - name: Somebody\n")
    assert problems_of(path) == [f"SAFETY_RESOURCES {path}: countries[0].lines[0]: "
                                 "needs at least one way to reach it: phone, sms or url"]


def test_a_number_that_cannot_be_dialled_and_an_address_that_is_not_the_web_are_refused(tmp_path):
    path = written(tmp_path, "countries:\n  - name: Testland\n    region: tl\n    lines:\n"
                             "      - name: A\n        phone: call us\n"
                             "      - name: B\n        url: javascript:alert(1)\n")
    said = problems_of(path)
    assert any("countries[0].region: must be a two-letter country code" in p for p in said), said
    assert any("countries[0].lines[0].phone: must be a number to dial or text" in p for p in said), said
    # The schema passes first; the address check runs once the shape is right.
    fixed = written(tmp_path, "countries:\n  - name: Testland\n    lines:\n"
                              "      - name: B\n        url: javascript:alert(1)\n", "second.yaml")
    assert problems_of(fixed) == [f"SAFETY_RESOURCES {fixed}: countries[0].lines[0].url: must be a full web "
                                  "address starting with https:// (or http://), got 'javascript:alert(1)'"]


def test_an_unknown_field_a_repeated_country_and_a_text_body_without_a_number_are_refused(tmp_path):
    path = written(tmp_path, "countries:\n"
                             "  - {name: A, region: TL, lines: [{name: X, phone: '123', sms_body: HI}]}\n"
                             "  - {name: B, region: TL, lines: [{name: Y, phone: '123'}]}\n")
    said = problems_of(path)
    assert f"SAFETY_RESOURCES {path}: countries[1].region: 'TL' is already used by countries[0]" in said
    assert f"SAFETY_RESOURCES {path}: countries[0].lines[0].sms_body: is only allowed with an sms number" in said
    extra = written(tmp_path, "countries:\n  - {name: A, lines: [{name: X, phone: '123', fax: '456'}]}\n", "x.yaml")
    assert problems_of(extra) == [f"SAFETY_RESOURCES {extra}: countries[0].lines[0].fax: is not a known field "
                                  "here; allowed: name, about, phone, sms, sms_body, url, hours"]


def test_a_yaml_mistake_and_an_empty_file_say_so(tmp_path):
    assert "YAML syntax error" in problems_of(written(tmp_path, "countries: [\n"))[0]
    assert problems_of(written(tmp_path, "", "empty.yaml"))[0].endswith("empty.yaml: is empty")
    assert "countries: is missing" in problems_of(written(tmp_path, "note: hello\n", "no.yaml"))[0]


@pytest.mark.parametrize("url", ["www.example.org", "ftp://example.org/", "https://", "https://exa mple.org/"])
def test_an_exit_address_that_is_not_a_full_web_address_is_refused(url):
    assert problems_of(None, url) == [f"SAFETY_EXIT_URL: must be a full web address starting with https:// "
                                      f"(or http://), got {url!r}"]
