"""The Redis pool (server/redis_conn.py): what each new connection costs to make."""

import redis as redis_py

from server import redis_conn


def test_new_connections_share_one_driver_description_and_work(redis_url):
    pool = redis_conn.blocking_pool(redis_url, 4, wait=1.0, decode_responses=True)
    client = redis_py.Redis(connection_pool=pool)
    try:
        made = [pool.get_connection() for _ in range(3)]
        # One description for every connection: its version was looked up once, not per connection.
        assert {id(c.driver_info) for c in made} == {id(redis_conn._DRIVER_INFO)}
        for c in made:
            pool.release(c)
        assert client.ping()
    finally:
        pool.disconnect()
