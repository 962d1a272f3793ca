package io.github.edgenet.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.identity.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipTest {
  private static NodeId id(int b) {
    byte[] key = new byte[NodeId.LENGTH];
    key[0] = (byte) b;
    return NodeId.of(key);
  }

  @Test
  void keepsOrderAndAnswersContains() {
    Membership m = Membership.of(List.of(id(3), id(1), id(2)));
    assertEquals(List.of(id(3), id(1), id(2)), m.members());
    assertEquals(3, m.size());
    assertEquals(id(1), m.get(1));
    assertTrue(m.contains(id(2)));
    assertFalse(m.contains(id(4)));
    assertThrows(IndexOutOfBoundsException.class, () -> m.get(3));
    assertThrows(UnsupportedOperationException.class, () -> m.members().add(id(5)));
  }

  @Test
  void isACopyAndEqualsBySet() {
    List<NodeId> source = new ArrayList<>(List.of(id(1), id(2)));
    Membership m = Membership.of(source);
    source.add(id(3));
    assertEquals(2, m.size(), "later changes to the source do not leak in");
    Membership reordered = Membership.of(List.of(id(2), id(1)));
    assertEquals(m, reordered);
    assertEquals(m.hashCode(), reordered.hashCode());
    assertNotEquals(m, Membership.of(List.of(id(1))));
    assertSame(Membership.empty(), Membership.of(List.of()));
    assertEquals(0, Membership.empty().size());
  }

  @Test
  void rejectsDuplicatesAndNulls() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Membership.of(List.of(id(1), id(1))));
    assertTrue(e.getMessage().contains(id(1).toString()), e.getMessage());
    assertThrows(NullPointerException.class, () -> Membership.of(Arrays.asList(id(1), null)));
    assertThrows(NullPointerException.class, () -> Membership.of(null));
  }
}
