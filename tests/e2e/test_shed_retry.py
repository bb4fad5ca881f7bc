"""A phone whose intent an overloaded server shed (`busy`, with `retry_after`) sends it again by itself.

The outbox runs in a real page served by the real server; only the network
call is a stand-in, so that the test can say which ack comes back.
"""

SHED_THEN_OK = """async () => {
  const { createOutbox } = await import('/js/outbox.js');
  const sent = [];
  const states = [];
  const store = { update: (s) => states.push(s), setView: () => {} };
  const call = async (event, payload) => {
    sent.push(payload.id);
    if (sent.length === 1) return { ok: false, error: { code: 'busy', retry_after: 0.05 } };
    return { ok: true, version: 7 };
  };
  const outbox = createOutbox(store, call, () => true, () => true);
  const ack = await outbox.add({ id: 'i-1', type: 'share' });
  return { ack, sent, pendingWhileShed: states.some((s) => s.pending && s.pending['i-1']) };
}"""

GIVES_UP = """async () => {
  const { createOutbox } = await import('/js/outbox.js');
  let sent = 0;
  const store = { update: () => {}, setView: () => {} };
  const call = async () => { sent += 1; return { ok: false, error: { code: 'busy', retry_after: 0.01 } }; };
  const outbox = createOutbox(store, call, () => true, () => true);
  const ack = await outbox.add({ id: 'i-2', type: 'share' });
  return { code: ack.error.code, sent };
}"""

NOT_RETRYABLE = """async () => {
  const { createOutbox } = await import('/js/outbox.js');
  let sent = 0;
  const call = async () => { sent += 1; return { ok: false, error: { code: 'wrong_step' } }; };
  const outbox = createOutbox({ update: () => {}, setView: () => {} }, call, () => true, () => true);
  const ack = await outbox.add({ id: 'i-3', type: 'share' });
  return { code: ack.error.code, sent };
}"""


def test_a_shed_intent_is_sent_again_under_its_id_and_then_applied(phones):
    page = phones("Ana").page
    out = page.evaluate(SHED_THEN_OK)
    assert out["ack"] == {"ok": True, "version": 7}
    assert out["sent"] == ["i-1", "i-1"]  # the same id: the server applies it once
    assert out["pendingWhileShed"]


def test_a_server_that_stays_busy_is_given_up_on_after_a_few_tries(phones):
    out = phones("Ana").page.evaluate(GIVES_UP)
    assert out == {"code": "busy", "sent": 6}


def test_a_refusal_that_is_not_about_load_is_not_sent_again(phones):
    out = phones("Ana").page.evaluate(NOT_RETRYABLE)
    assert out == {"code": "wrong_step", "sent": 1}
