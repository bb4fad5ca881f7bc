// One RTCPeerConnection per other seat on the call, signalled over the
// room's socket (call_signal). The seat that comes first in seat order offers;
// the other answers. Every connection carries one audio and one video
// transceiver from the start, so a camera turned on or off is a replaceTrack,
// never a new offer. Media goes browser to browser (DTLS-SRTP); the server
// only passes the offers, answers and candidates on.

const SEAT_ORDER = ["partner_a", "partner_b", "moderator"];

/** Whether `me` makes the offer to `other` (the earlier seat does). */
export function offersTo(me, other) {
  return SEAT_ORDER.indexOf(me) < SEAT_ORDER.indexOf(other);
}

/**
 * The peer connections of this phone's call. `send(to, kind, body)` relays a
 * signal; `tracks()` returns {audio, video} (a track or null) to send;
 * `changed(seat)` is called whenever a peer's state or media changes.
 */
export function createPeers({ me, config, send, tracks, changed }) {
  const peers = new Map(); // seat -> {pc, stream, pending: [], state, videoOn}

  function make(seat) {
    const pc = new RTCPeerConnection({
      iceServers: config.ice_servers || [],
      iceTransportPolicy: config.ice_transport_policy === "relay" ? "relay" : "all",
    });
    const peer = { pc, stream: new MediaStream(), pending: [], state: "connecting", videoOn: false };
    peers.set(seat, peer);
    pc.onicecandidate = (event) => {
      if (event.candidate) send(seat, "candidate", { candidate: event.candidate.toJSON() });
    };
    pc.onconnectionstatechange = () => {
      peer.state = pc.connectionState;
      changed(seat);
    };
    pc.ontrack = (event) => {
      const track = event.track;
      peer.stream.addTrack(track);
      if (track.kind === "video") {
        // A camera turned off sends nothing: the receiving track goes muted.
        track.onmute = () => { peer.videoOn = false; changed(seat); };
        track.onunmute = () => { peer.videoOn = true; changed(seat); };
      }
      changed(seat);
    };
    return peer;
  }

  async function offer(seat) {
    const peer = make(seat);
    const { audio, video } = tracks();
    peer.pc.addTransceiver(audio || "audio", { direction: "sendrecv" });
    peer.pc.addTransceiver(video || "video", { direction: "sendrecv" });
    await peer.pc.setLocalDescription(await peer.pc.createOffer());
    send(seat, "offer", { sdp: peer.pc.localDescription.sdp });
  }

  async function answer(seat, sdp) {
    let peer = peers.get(seat);
    if (peer && peer.pc.remoteDescription) {
      // A fresh offer from a seat that left and came back: a new connection.
      close(seat);
      peer = null;
    }
    peer = peer || make(seat);
    await peer.pc.setRemoteDescription({ type: "offer", sdp });
    const { audio, video } = tracks();
    for (const t of peer.pc.getTransceivers()) {
      t.direction = "sendrecv";
      await t.sender.replaceTrack(t.receiver.track.kind === "audio" ? audio : video);
    }
    await peer.pc.setLocalDescription(await peer.pc.createAnswer());
    send(seat, "answer", { sdp: peer.pc.localDescription.sdp });
    await flushCandidates(peer);
  }

  async function flushCandidates(peer) {
    const held = peer.pending.splice(0);
    for (const c of held) await peer.pc.addIceCandidate(c).catch(() => {});
  }

  /** Handle one `call_signal` {from, kind, sdp?, candidate?}. */
  async function signal(msg) {
    const seat = msg?.from;
    if (!SEAT_ORDER.includes(seat) || seat === me) return;
    if (msg.kind === "offer") await answer(seat, msg.sdp);
    else if (msg.kind === "answer") {
      const peer = peers.get(seat);
      if (!peer || peer.pc.signalingState !== "have-local-offer") return;
      await peer.pc.setRemoteDescription({ type: "answer", sdp: msg.sdp });
      await flushCandidates(peer);
    } else if (msg.kind === "candidate") {
      const peer = peers.get(seat) || make(seat);
      if (peer.pc.remoteDescription) await peer.pc.addIceCandidate(msg.candidate).catch(() => {});
      else peer.pending.push(msg.candidate);
    }
  }

  /** Match the connections to the seats on the call: offer to new ones where ours to, close gone ones. */
  function follow(onCall) {
    for (const seat of [...peers.keys()]) if (!onCall.includes(seat)) close(seat);
    for (const seat of onCall) {
      if (seat !== me && !peers.has(seat) && offersTo(me, seat)) offer(seat).catch(() => changed(seat));
    }
  }

  /** Send this track (audio or video, or null for none) on every connection. */
  function replace(kind, track) {
    for (const { pc } of peers.values()) {
      for (const t of pc.getTransceivers()) {
        if (t.receiver.track.kind === kind && !t.stopped) t.sender.replaceTrack(track).catch(() => {});
      }
    }
  }

  function close(seat) {
    const peer = peers.get(seat);
    if (!peer) return;
    peers.delete(seat);
    peer.pc.close();
    peer.stream.getTracks().forEach((t) => t.stop());
    changed(seat);
  }

  function closeAll() {
    for (const seat of [...peers.keys()]) close(seat);
  }

  return { follow, signal, replace, closeAll, get: (seat) => peers.get(seat), seats: () => [...peers.keys()] };
}
