package io.github.edgenet.economy.market;

import static io.github.edgenet.economy.market.Ids.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComputeMarketTest {
  @Test
  void cheapestOfferComparesExactOutPricesAcrossProviders() {
    ComputeMarket m = new ComputeMarket();
    m.open(id(1), 30).addLiquidity(id(1), 1_000_000, 5_000_000, 0, 0, 10, 0); // price 5
    m.open(id(2), 30).addLiquidity(id(2), 1_000_000, 3_000_000, 0, 0, 10, 0); // price 3
    m.open(id(3), 30).addLiquidity(id(3), 10_000, 20_000, 0, 0, 10, 0); // price 2, shallow
    assertSame(m.open(id(1), 100), m.pool(id(1)).orElseThrow(), "open is idempotent");
    long p2 = AmmMath.getAmountIn(1_000, 3_000_000, 1_000_000, 30);
    ComputeMarket.Offer o = m.cheapest(List.of(id(1), id(2), id(9)), 1_000).orElseThrow();
    assertEquals(id(2), o.provider());
    assertEquals(p2, o.priceMicros());
    // the shallow pool is cheapest for small amounts, cannot sell 10,000 units at all
    assertEquals(id(3), m.cheapest(List.of(id(1), id(2), id(3)), 100).orElseThrow().provider());
    assertEquals(id(2), m.cheapest(List.of(id(2), id(3)), 10_000).orElseThrow().provider());
    assertTrue(m.cheapest(List.of(id(3)), 10_000).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> m.cheapest(List.of(id(1)), 0));
    String d = m.digest();
    m.pool(id(2)).orElseThrow().swapExactIn(SwapDirection.BUY_COMPUTE, 1_000, 0, 10, 1);
    assertNotEquals(d, m.digest());
  }

  @Test
  void tiesGoToTheSmallerNodeId() {
    ComputeMarket m = new ComputeMarket();
    for (int i = 5; i >= 1; i--) {
      m.open(id(i), 30).addLiquidity(id(i), 1_000_000, 2_000_000, 0, 0, 10, 0);
    }
    assertEquals(id(1), m.cheapest(List.of(id(4), id(2), id(1), id(3)), 500).orElseThrow()
        .provider());
  }
}
