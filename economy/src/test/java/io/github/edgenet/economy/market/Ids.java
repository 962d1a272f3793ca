package io.github.edgenet.economy.market;

import io.github.edgenet.core.identity.NodeId;

final class Ids {
  private Ids() {}

  static NodeId id(int i) {
    byte[] k = new byte[NodeId.LENGTH];
    k[0] = (byte) (i >>> 24);
    k[1] = (byte) (i >>> 16);
    k[2] = (byte) (i >>> 8);
    k[3] = (byte) i;
    return NodeId.of(k);
  }
}
