package io.github.edgenet.swarm.net.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.jgroups.util.ExtendedUUID;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

class AddressBindingTest {
  private final NodeIdentity alice = NodeIdentity.generate(RandomSource.seeded(1));
  private final NodeIdentity bob = NodeIdentity.generate(RandomSource.seeded(2));

  @Test
  void aBindingVerifiesAfterTheWireAndOnlyInItsCluster() throws Exception {
    ExtendedUUID a = AddressBinding.create(alice, "c1", "alice");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    a.writeTo(new DataOutputStream(bytes));
    ExtendedUUID copy = new ExtendedUUID();
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(alice.id(), AddressBinding.verify(copy, "c1"));
    assertNull(AddressBinding.verify(copy, "c2"), "bound to its cluster");
  }

  @Test
  void forgedMovedOrMissingBindingsAreRefused() {
    ExtendedUUID a = AddressBinding.create(alice, "c", "alice");
    // Bob claims alice's id on his own random address, reusing her signature.
    ExtendedUUID squat = ExtendedUUID.randomUUID("bob");
    squat.put(AddressBinding.ID_KEY, alice.id().toBytes());
    squat.put(AddressBinding.SIG_KEY, a.get(AddressBinding.SIG_KEY));
    assertNull(AddressBinding.verify(squat, "c"));
    // Alice's address with bob's id.
    ExtendedUUID swapped = AddressBinding.create(alice, "c", "alice");
    swapped.put(AddressBinding.ID_KEY, bob.id().toBytes());
    assertNull(AddressBinding.verify(swapped, "c"));
    ExtendedUUID shortId = AddressBinding.create(alice, "c", "alice");
    shortId.put(AddressBinding.ID_KEY, new byte[31]);
    assertNull(AddressBinding.verify(shortId, "c"));
    assertNull(AddressBinding.verify(ExtendedUUID.randomUUID("plain"), "c"));
    assertNull(AddressBinding.verify(UUID.randomUUID(), "c"));
  }
}
