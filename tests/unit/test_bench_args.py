"""Which scenarios `python -m bench.run` runs for a given command line (nothing is started here)."""

from bench.run import parse_args


def scenarios(argv):
    args = parse_args(argv)
    return args.closed, args.open, args.restart


def test_make_bench_runs_a_closed_loop_an_open_loop_and_a_small_restart():
    assert scenarios([]) == (50, 100, 100)


def test_restart_on_its_own_runs_only_the_restart():
    assert scenarios(["--restart", "200"]) == (0, 0, 200)


def test_restart_beside_a_loop_keeps_the_presets_other_loop():
    assert scenarios(["--restart", "200", "--closed", "10"]) == (10, 100, 200)
    assert scenarios(["--closed", "10"]) == (10, 100, 100)


def test_the_restart_preset_is_scenario_r_of_issue_10():
    args = parse_args(["--preset", "restart"])
    assert (args.closed, args.open, args.restart) == (0, 0, 1000)
    assert args.restart_active_s == 10 and args.restart_interval_ms == 2000 and args.restart_wait_s == 120


def test_the_10k_preset_has_no_restart():
    assert scenarios(["--preset", "10k"]) == (0, 5000, 0)
