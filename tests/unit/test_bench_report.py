"""The load bench's pure helpers: its settings string, /proc figures and the table it prints."""

import pytest

from bench.report import (HEADERS, RESTART_HEADERS, counts_text, errors_text, format_table, merge_processes,
                          parse_env_assignments, restart_check_text, restart_row, scenario_row, status_kb)


def test_server_env_assignments_are_split_like_a_shell():
    assert parse_env_assignments('RESUME_FAIL_LIMIT=1000000 NOTE="two words" EMPTY=') == {
        "RESUME_FAIL_LIMIT": "1000000", "NOTE": "two words", "EMPTY": ""}
    assert parse_env_assignments("") == {}
    assert parse_env_assignments(None) == {}


@pytest.mark.parametrize("text", ["JOIN_RATE_LIMIT", "=1", "1X=2", "A-B=3"])
def test_a_word_that_is_not_an_assignment_is_refused(text):
    with pytest.raises(ValueError):
        parse_env_assignments(text)


def test_status_figures_are_read_in_kb():
    text = "Name:\tpython\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t3\n"
    assert status_kb(text, "VmRSS") == 102400
    assert status_kb(text, "VmHWM") == 204800
    assert status_kb(text, "VmSwap") is None


def test_errors_are_listed_by_code_most_frequent_first():
    result = {"errors": {"stale": 2, "busy": 7}, "ack_timeouts": 3, "view_timeouts": 0,
              "setup_errors": {"join_room:rate_limited": 1}, "disconnects": {"ping timeout": 2},
              "connect_failures": 4}  # counted once, as the setup errors they are (not here)
    assert errors_text(result) == ("busy 7, ack_timeout 3, dropped (ping timeout) 2, stale 2, "
                                   "setup join_room:rate_limited 1")
    assert errors_text(result, limit=2) == "busy 7, ack_timeout 3, +3 more below"
    assert errors_text({"errors": {}, "ack_timeouts": 0}) == "none"


def test_a_row_shows_rate_per_cpu_latency_memory_and_load():
    result = {"mode": "open", "interval_ms": 10000, "couples": 5000, "ready_couples": 4990, "sockets": 10000,
              "offered_per_s": 499.0, "transitions_per_s": 450.0,
              "latency_ms": {"p50": 5.25, "p95": 48.0, "p99": 1234.0}, "ack_ms": {"p99": 60.5},
              "errors": {}, "procs": {"server": {"cpu_pct": 90.0, "rss_mb": 1500, "peak_rss_mb": 1600},
                                      "redis": {"cpu_pct": 12.3}},
              "other_cpu_pct": 140, "idle_rss_mb": 70, "loadavg_before": "1.50", "loadavg_after": "3.20"}
    row = scenario_row(result)
    assert len(row) == len(HEADERS)
    assert row == ["open, 1 per 10 s", "4,990/5,000 (10,000)", "499.0", "450.0", "500", "5.2/48.0/1,234",
                   "60.5", "none", "70→1,500 (1,600)", "90/12/140", "1.50→3.20"]


def test_a_row_without_server_cpu_shows_a_dash_for_the_rate_per_cpu():
    row = scenario_row({"mode": "closed", "transitions_per_s": 10.0, "procs": {}})
    assert row[0] == "closed loop" and row[4] == "-"


def test_two_server_processes_are_shown_as_their_sum_and_named_in_the_row():
    result = {"mode": "closed", "transitions_per_s": 300.0, "processes": 2,
              "procs": {"server": {"cpu_pct": 80.0, "rss_mb": 100, "peak_rss_mb": 110},
                        "server2": {"cpu_pct": 70.0, "rss_mb": 90, "peak_rss_mb": 95}, "redis": {"cpu_pct": 20.0}}}
    merge_processes(result, ["server", "server2"])
    assert result["procs"]["server"] == {"cpu_pct": 150.0, "rss_mb": 190, "peak_rss_mb": 205}
    assert result["servers"]["server2"]["cpu_pct"] == 70.0
    row = scenario_row(result)
    assert row[0] == "closed loop, A and B on 2 processes" and row[4] == "200"


def test_one_server_process_is_left_as_it_was_measured():
    result = {"procs": {"server": {"cpu_pct": 80.0, "rss_mb": 100, "peak_rss_mb": 110}}}
    merge_processes(result, ["server"])
    assert result == {"procs": {"server": {"cpu_pct": 80.0, "rss_mb": 100, "peak_rss_mb": 110}}}


def test_the_table_pads_every_column_to_its_widest_cell():
    table = format_table(["a", "bb"], [["xyz", "1"], ["q", "22222"]])
    assert table.splitlines() == ["| a   | bb    |", "|-----|-------|", "| xyz | 1     |", "| q   | 22222 |"]


def restart_result(**changes):
    result = {"mode": "restart", "couples": 1000, "ready_couples": 1000, "sockets": 2000, "resumed": 2000,
              "all_back": True, "healthy_after_kill_s": 1.734, "back_99_after_kill_s": 5.9,
              "back_100_after_kill_s": 6.512, "back_99_after_health_s": 4.166, "back_100_after_health_s": 4.778,
              "resume_errors": {"busy": 12, "timeout": 3}, "server_cpu_s": 6.4, "cpu_ms_per_socket": 3.2,
              "rss_mb_before_kill": 540, "peak_rss_mb_before_kill": 560, "rss_mb_at_health": 70,
              "rss_mb_all_back": 410, "loadavg_before": "1.20", "loadavg_after": "2.40",
              "check": {"couples": 1000, "step_unchanged": 1000, "step_changed": 0,
                        "version_delta": {"2": 997, "3": 3}, "one_more": {"ok": 1000}}}
    result.update(changes)
    return result


def test_a_restart_row_shows_sockets_back_the_times_resume_errors_cpu_and_memory():
    row = restart_row(restart_result())
    assert len(row) == len(RESTART_HEADERS)
    assert row == ["restart, 1,000/1,000 couples", "2,000/2,000", "1.73", "5.90/6.51", "4.17/4.78",
                   "busy 12, timeout 3", "6.40", "3.20", "540 (560)→70→410", "1.20→2.40"]


def test_a_restart_where_not_every_socket_came_back_says_so():
    row = restart_row(restart_result(resumed=1990, all_back=False, back_100_after_kill_s=None,
                                     back_100_after_health_s=None, resume_errors={}))
    assert row[1] == "1,990/2,000"
    assert row[3] == "5.90/-" and row[4] == "4.17/-"
    assert row[5] == "none"
    assert row[6] == "6.40*" and row[7] == "3.20*"  # counted to the end of the wait, not to the last socket


def test_the_restart_check_names_the_step_the_version_moves_and_the_move_after():
    assert restart_check_text(restart_result()) == (
        "step unchanged 1,000/1,000 couples; version moved by +2: 997, +3: 3 (the two resumes' writes: +2); "
        "one more move ok 1,000, failed 0")
    lost = restart_result(check={"couples": 10, "step_unchanged": 9, "step_changed": 1,
                                 "version_delta": {"10": 1, "2": 9},
                                 "one_more": {"ok": 7, "stale": 1, "ack_timeout": 2}})
    assert restart_check_text(lost) == (
        "step unchanged 9/10 couples; version moved by +2: 9, +10: 1 (the two resumes' writes: +2); "
        "one more move ok 7, failed 3 (ack_timeout 2, stale 1)")


def test_counts_are_listed_most_frequent_first():
    assert counts_text({"b": 1, "a": 1, "c": 5}) == "c 5, a 1, b 1"
    assert counts_text({}) == "none" and counts_text(None) == "none"
