package io.github.edgenet.swarm.net;

import io.github.edgenet.core.Clock;
import io.github.edgenet.core.envelope.Envelope;
import io.github.edgenet.core.envelope.EnvelopeDecoder;
import io.github.edgenet.core.envelope.EnvelopeException;
import io.github.edgenet.core.envelope.EnvelopeSender;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.core.identity.NodeIdentity;
import io.github.edgenet.core.net.PeerNetwork;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A tiny signed request/response protocol over a {@link PeerNetwork}, for the transport tests: a
 * request is a signed envelope carrying a nonce and a body; the peer answers with a signed envelope
 * carrying the nonce and the body reversed. Both sides verify with core's decoder and check that
 * the signer is the node the transport named. Thread-safe.
 */
final class SignedEcho {
  static final int REQUEST = 1;
  static final int RESPONSE = 2;

  private final PeerNetwork network;
  private final EnvelopeSender sender;
  private final EnvelopeDecoder decoder;
  private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextNonce = new AtomicLong();
  final LongAdder rejected = new LongAdder();
  final LongAdder answered = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  private final java.util.Set<Long> done = ConcurrentHashMap.newKeySet();
  static final long RETRY_MILLIS = 1_000;

  private record Pending(NodeId to, byte[] body, CompletableFuture<Envelope> future) {}

  SignedEcho(NodeIdentity identity, PeerNetwork network, Clock clock) {
    this.network = network;
    this.sender = EnvelopeSender.create(identity, clock);
    this.decoder = EnvelopeDecoder.create(clock);
    network.onMessage(this::onMessage);
  }

  /**
   * Sends a signed request to {@code to}; the future completes with the verified response, whose
   * body was checked to be {@code body} reversed and whose signer is {@code to}.
   */
  CompletableFuture<Envelope> request(NodeId to, byte[] body) {
    long nonce = nextNonce.incrementAndGet();
    CompletableFuture<Envelope> f = new CompletableFuture<>();
    pending.put(nonce, new Pending(to, body.clone(), f));
    byte[] payload = ByteBuffer.allocate(8 + body.length).putLong(nonce).put(body).array();
    transmit(to, payload, f);
    return f;
  }

  /**
   * Sends the request and, the network being unreliable by contract (a peer that has not set its
   * handler yet discards it, for one), sends it again in a fresh envelope every
   * {@link #RETRY_MILLIS} until answered.
   */
  private void transmit(NodeId to, byte[] payload, CompletableFuture<Envelope> f) {
    if (f.isDone() || (network instanceof JGroupsNetwork j && j.isClosed())) {
      return;
    }
    network.send(to, sender.encode(REQUEST, payload));
    network.schedule(java.time.Duration.ofMillis(RETRY_MILLIS), () -> {
      if (!f.isDone()) {
        retries.increment();
        transmit(to, payload, f);
      }
    });
  }

  private void onMessage(NodeId from, byte[] message) {
    Envelope e;
    try {
      e = decoder.decode(message);
    } catch (EnvelopeException ex) {
      rejected.increment();
      return;
    }
    if (!e.sender().equals(from) || e.payloadLength() < 8) {
      rejected.increment();
      return;
    }
    ByteBuffer p = e.payload();
    long nonce = p.getLong();
    byte[] body = new byte[p.remaining()];
    p.get(body);
    if (e.type() == REQUEST) {
      byte[] reversed = reversed(body);
      byte[] out = ByteBuffer.allocate(8 + body.length).putLong(nonce).put(reversed).array();
      network.send(from, sender.encode(RESPONSE, out));
      answered.increment();
    } else if (e.type() == RESPONSE) {
      if (done.contains(nonce)) {
        duplicates.increment(); // the answer to a retried request
        return;
      }
      Pending w = pending.get(nonce);
      if (w == null || !w.to.equals(e.sender()) || !Arrays.equals(reversed(w.body), body)) {
        rejected.increment();
        return;
      }
      pending.remove(nonce);
      done.add(nonce);
      w.future.complete(e);
    } else {
      rejected.increment();
    }
  }

  static byte[] reversed(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }
}
