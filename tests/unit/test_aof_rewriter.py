"""When the append-only file is rewritten: once per batch of deletions, never by a rewrite that began before one.

A rewrite is Redis's snapshot at fork time, so these races are about who
forked when; a stand-in Redis makes that moment explicit (the real servers
are in tests/integration/test_embedded_redis.py).
"""

import redis

from server.store import AofRewriter


class ForkingRedis:
    """Just BGREWRITEAOF and INFO stats, with a rewrite that runs until `finish()`."""

    def __init__(self, refuse: str | None = None):
        self.running = False
        self.forks = 0
        self.refuse = refuse
        self.stats = {"expired_keys": 0, "evicted_keys": 0}

    def bgrewriteaof(self):
        if self.refuse:
            raise redis.ResponseError(self.refuse)
        if self.running:
            raise redis.ResponseError("ERR Background append only file rewriting already in progress")
        self.running = True
        self.forks += 1

    def finish(self):
        self.running = False

    def info(self, section):
        assert section == "stats"
        return dict(self.stats)


def test_a_deletion_rewrites_at_once():
    r = ForkingRedis()
    aof = AofRewriter(r)
    aof.want()
    assert r.forks == 1 and not aof.owed()


def test_a_deletion_during_a_rewrite_stays_owed_until_a_later_rewrite_starts():
    r = ForkingRedis()
    aof = AofRewriter(r)
    aof.want()
    aof.want()  # that rewrite forked before this deletion: it still holds the words
    assert r.forks == 1 and aof.owed()
    assert aof.sweep() is False and aof.owed(), "still running: still owed"
    r.finish()
    assert aof.rewrite() is True
    assert r.forks == 2 and not aof.owed()


def test_a_sweep_rewrites_only_when_keys_expired_or_were_evicted_since_the_last():
    r = ForkingRedis()
    aof = AofRewriter(r)
    aof.sweep()
    assert r.forks == 0, "nothing deleted, nothing to rewrite"
    r.stats["expired_keys"] = 3
    aof.sweep()
    assert r.forks == 1
    r.finish()
    aof.sweep()
    assert r.forks == 1, "no new expiry"
    r.stats["evicted_keys"] = 1
    aof.sweep()
    assert r.forks == 2


def test_a_redis_that_refuses_the_command_is_left_alone_after_one_warning(caplog):
    r = ForkingRedis(refuse="ERR unknown command 'BGREWRITEAOF'")
    aof = AofRewriter(r)
    aof.want()
    aof.want()
    assert not aof.owed() and aof.disabled
    assert len([rec for rec in caplog.records if "cannot rewrite the append-only file" in rec.message]) == 1
