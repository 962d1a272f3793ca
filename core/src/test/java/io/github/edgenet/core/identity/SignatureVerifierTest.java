package io.github.edgenet.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureVerifierTest {

  /** One signed (or forged) message and the answer raw Bouncy Castle verification gives. */
  private record Case(NodeId signer, byte[] message, byte[] signature, boolean expected) {}

  /**
   * Differential: a cached verifier with a cache too small for the signers (so keys are decoded,
   * cached, evicted and decoded again) agrees with {@link NodeIdentity#verify} on valid signatures,
   * tampered ones, wrong signers and random 32-byte keys (about half are not points).
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void cachedVerificationAgreesWithRawVerification(long seed) {
    List<Case> cases = cases(RandomSource.seeded(seed), 12, 200);
    SignatureVerifier verifier = SignatureVerifier.create(4);
    int valid = 0;
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      boolean raw = NodeIdentity.verify(c.signer, c.message, 0, c.message.length, c.signature, 0);
      boolean cached = verifier.verify(c.signer, c.message, 0, c.message.length, c.signature, 0);
      assertEquals(c.expected, raw, "seed " + seed + " case " + i + ": raw");
      assertEquals(raw, cached, "seed " + seed + " case " + i + ": cached vs raw");
      valid += raw ? 1 : 0;
    }
    assertTrue(valid > 20 && valid < 180, "seed " + seed + ": " + valid + " valid of 200");
    assertTrue(verifier.cachedKeys() <= 4, "cache bounded, was " + verifier.cachedKeys());
  }

  @Test
  void onlyVerifiedKeysEnterTheCache() {
    SignatureVerifier verifier = SignatureVerifier.create(100);
    RandomSource random = RandomSource.seeded(7);
    byte[] message = {9, 9, 9};
    byte[] garbage = new byte[64];
    for (int i = 0; i < 50; i++) {
      NodeIdentity stranger = NodeIdentity.generate(random);
      random.nextBytes(garbage);
      assertFalse(verifier.verify(stranger.id(), message, 0, 3, garbage, 0));
    }
    assertEquals(0, verifier.cachedKeys(), "forgeries must not fill the cache");

    NodeIdentity peer = NodeIdentity.generate(random);
    byte[] signature = peer.sign(message);
    assertTrue(verifier.verify(peer.id(), message, 0, 3, signature, 0));
    assertEquals(1, verifier.cachedKeys());
    assertTrue(verifier.verify(peer.id(), message, 0, 3, signature, 0), "from the cache");
    signature[5] ^= 1;
    assertFalse(verifier.verify(peer.id(), message, 0, 3, signature, 0), "cached key, bad sig");
  }

  @Test
  void cacheSizeIsBounded() {
    SignatureVerifier verifier = SignatureVerifier.create(64);
    RandomSource random = RandomSource.seeded(8);
    byte[] message = {1};
    for (int i = 0; i < 300; i++) {
      NodeIdentity peer = NodeIdentity.generate(random);
      assertTrue(verifier.verify(peer.id(), message, 0, 1, peer.sign(message), 0));
    }
    assertTrue(verifier.cachedKeys() <= 64 + 15, "cached " + verifier.cachedKeys());
    assertTrue(verifier.cachedKeys() >= 32, "cached " + verifier.cachedKeys());
    assertEquals(0, SignatureVerifier.create(0).cachedKeys());
    assertThrows(IllegalArgumentException.class, () -> SignatureVerifier.create(-1));
  }

  @Test
  void uncachedVerifierWorks() {
    SignatureVerifier verifier = SignatureVerifier.create(0);
    NodeIdentity peer = NodeIdentity.generate(RandomSource.seeded(9));
    byte[] message = {4, 5};
    byte[] signature = peer.sign(message);
    assertTrue(verifier.verify(peer.id(), message, 0, 2, signature, 0));
    signature[0] ^= 1;
    assertFalse(verifier.verify(peer.id(), message, 0, 2, signature, 0));
  }

  /** Four threads share a small cache (constant eviction); every answer stays right. */
  @Test
  void concurrentVerificationStress() throws Exception {
    List<Case> cases = cases(RandomSource.seeded(10), 16, 400);
    SignatureVerifier verifier = SignatureVerifier.create(6);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int start = t * 97;
        results.add(
            pool.submit(
                () -> {
                  int wrong = 0;
                  for (int i = 0; i < cases.size(); i++) {
                    Case c = cases.get((start + i) % cases.size());
                    boolean ok =
                        verifier.verify(c.signer, c.message, 0, c.message.length, c.signature, 0);
                    wrong += ok == c.expected ? 0 : 1;
                  }
                  return wrong;
                }));
      }
      for (Future<Integer> f : results) {
        assertEquals(0, f.get(), "wrong answers under concurrency");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * {@code count} cases over {@code signers} identities: valid signatures, a flipped bit in the
   * message or signature, the wrong signer, or a random 32-byte key.
   */
  private static List<Case> cases(RandomSource random, int signers, int count) {
    NodeIdentity[] identities = new NodeIdentity[signers];
    for (int i = 0; i < signers; i++) {
      identities[i] = NodeIdentity.generate(random);
    }
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      NodeIdentity who = identities[random.nextInt(signers)];
      byte[] message = new byte[random.nextInt(100)];
      random.nextBytes(message);
      byte[] signature = who.sign(message);
      switch (random.nextInt(5)) {
        case 0, 1 -> cases.add(new Case(who.id(), message, signature, true));
        case 2 -> {
          if (message.length == 0) {
            cases.add(new Case(who.id(), message, signature, true));
          } else {
            message[random.nextInt(message.length)] ^= (byte) (1 << random.nextInt(8));
            cases.add(new Case(who.id(), message, signature, false));
          }
        }
        case 3 -> {
          signature[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
          NodeIdentity anyone = identities[random.nextInt(signers)];
          cases.add(new Case(anyone.id(), message, signature, false));
        }
        default -> {
          byte[] key = new byte[32];
          random.nextBytes(key);
          cases.add(new Case(NodeId.of(key), message, signature, false));
        }
      }
    }
    return cases;
  }
}
