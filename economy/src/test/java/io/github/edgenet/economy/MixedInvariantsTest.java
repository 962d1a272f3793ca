package io.github.edgenet.economy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.edgenet.core.RandomSource;
import io.github.edgenet.core.identity.NodeId;
import io.github.edgenet.economy.auction.AuctionException;
import io.github.edgenet.economy.auction.AuctionOutcome;
import io.github.edgenet.economy.auction.AuctionTerms;
import io.github.edgenet.economy.auction.Bid;
import io.github.edgenet.economy.auction.SealedReverseAuction;
import io.github.edgenet.economy.governance.GovernanceException;
import io.github.edgenet.economy.governance.Governor;
import io.github.edgenet.economy.governance.GovernorSettings;
import io.github.edgenet.economy.governance.NetworkConfig;
import io.github.edgenet.economy.governance.NetworkParameter;
import io.github.edgenet.economy.governance.ProposalId;
import io.github.edgenet.economy.governance.StakeHistory;
import io.github.edgenet.economy.governance.Support;
import io.github.edgenet.economy.market.AmmMath;
import io.github.edgenet.economy.market.ComputePool;
import io.github.edgenet.economy.market.LiquidityResult;
import io.github.edgenet.economy.market.MarketException;
import io.github.edgenet.economy.market.SwapDirection;
import io.github.edgenet.economy.market.SwapResult;
import io.github.edgenet.economy.reputation.ReputationBook;
import io.github.edgenet.economy.reputation.ReputationConfig;
import io.github.edgenet.economy.reputation.ReputationException;
import io.github.edgenet.economy.reputation.TaskOutcome;
import io.github.edgenet.economy.rewards.Grant;
import io.github.edgenet.economy.rewards.RewardException;
import io.github.edgenet.economy.rewards.VestingBook;
import io.github.edgenet.economy.rewards.VestingSchedule;
import io.github.edgenet.economy.internal.Canonical;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every market machine driven by one seeded stream of operations, with the accounts they move
 * modelled as a ledger would: tokens and compute are conserved between accounts, pools, vesting
 * escrow and auction deposits; k never falls on a swap and k per share squared never falls on a
 * liquidity change; vested never exceeds total; refused operations (every 16th checked) change no digest; and the same
 * seed gives the same digests.
 */
class MixedInvariantsTest {
  static final int ACCOUNTS = 8;
  static final int POOLS = 3;
  static final long TOKENS0 = 1_000_000_000_000L;
  static final long COMPUTE0 = 1_000_000_000L;
  static final long DEPOSIT = 1_000;

  static NodeId id(int i) {
    byte[] k = new byte[NodeId.LENGTH];
    k[0] = 7;
    k[31] = (byte) i;
    return NodeId.of(k);
  }

  static final class World {
    final RandomSource r;
    final long[] tokens = new long[ACCOUNTS];
    final long[] compute = new long[ACCOUNTS];
    final ComputePool[] pools = new ComputePool[POOLS];
    final VestingBook vesting = new VestingBook();
    final ReputationBook reputation = new ReputationBook(ReputationConfig.defaults());
    final Governor governor;
    final List<ProposalId> proposals = new ArrayList<>();
    final List<Long> granted = new ArrayList<>();
    SealedReverseAuction auction;
    long auctionDeposits;
    int auctionSeq;
    long now = 1_000;
    int grants;
    int refusals;
    int accepted;
    long steps;
    boolean checkDigest;

    World(long seed) {
      r = RandomSource.seeded(seed);
      for (int i = 0; i < ACCOUNTS; i++) {
        tokens[i] = TOKENS0;
        compute[i] = COMPUTE0;
      }
      for (int p = 0; p < POOLS; p++) {
        pools[p] = ComputePool.create(id(p), 30);
        LiquidityResult lr = pools[p].addLiquidity(id(p), 10_000_000, 50_000_000, 0, 0, now, now);
        compute[p] -= lr.compute();
        tokens[p] -= lr.tokens();
      }
      StakeHistory stakes = new StakeHistory() {
        @Override
        public long stakeAt(NodeId node, long atMillis) {
          return 100 + (node.toBytes()[31] & 0xff) * 10L;
        }

        @Override
        public long totalStakeAt(long atMillis) {
          long t = 0;
          for (int i = 0; i < ACCOUNTS; i++) {
            t += stakeAt(id(i), atMillis);
          }
          return t;
        }
      };
      governor = new Governor(new GovernorSettings(50, 500, 3_000, 0, 100, 2_000, Set.of()),
          NetworkConfig.defaults(), stakes);
      newAuction();
    }

    void newAuction() {
      auction = SealedReverseAuction.open(new AuctionTerms(++auctionSeq, id(7), now + 200,
          now + 400, DEPOSIT, 50_000, 100, 1_000, 5_000, 16));
    }

    long totalTokens() {
      long t = vesting.outstanding() + auctionDeposits;
      for (long v : tokens) {
        t += v;
      }
      for (ComputePool p : pools) {
        t += p.reserveTokens();
      }
      return t;
    }

    long totalCompute() {
      long t = 0;
      for (long v : compute) {
        t += v;
      }
      for (ComputePool p : pools) {
        t += p.reserveCompute();
      }
      return t;
    }

    /** The book's escrow equals what its grants still hold, and each grant's parts add up. */
    void checkEscrow() {
      long held = 0;
      for (int g = 0; g < grants; g++) {
        Grant gr = vesting.lookup(g);
        assertEquals((long) granted.get(g), gr.total() + gr.clawedBack(), "grant " + g);
        held += gr.total() - gr.released();
      }
      assertEquals(held, vesting.outstanding(), "vesting escrow");
    }

    String digest() {
      Canonical c = Canonical.of("mixed");
      for (ComputePool p : pools) {
        c.text(p.digest());
      }
      for (int i = 0; i < ACCOUNTS; i++) {
        c.u64(tokens[i]).u64(compute[i]);
      }
      return c.text(vesting.digest()).text(reputation.digest()).text(auction.digest())
          .text(governor.digest()).finishHex();
    }

    /** Runs one operation; a refusal must leave the machine's digest unchanged. */
    void step() {
      now += r.nextInt(20);
      checkDigest = (steps++ & 15) == 0; // digests cost O(state): check every 16th operation
      int kind = r.nextInt(16);
      try {
        if (kind < 5) {
          swap(kind < 3);
        } else if (kind < 7) {
          liquidity(kind == 5);
        } else if (kind < 10) {
          vestingOp();
        } else if (kind < 11) {
          int w = r.nextInt(ACCOUNTS);
          checked(reputation::digest, () -> reputation.record(new TaskOutcome(id(w),
              r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(50_000_000), r.nextInt(4) != 0, now),
              r.nextInt(10) == 0 ? 0 : 200_000_000));
        } else if (kind < 14) {
          auctionOp();
        } else {
          governanceOp();
        }
        accepted++;
      } catch (MarketException | RewardException | ReputationException | AuctionException
          | GovernanceException e) {
        refusals++;
      }
    }

    private void checked(Supplier<String> digest, Runnable op) {
      if (!checkDigest) {
        op.run();
        return;
      }
      String before = digest.get();
      try {
        op.run();
      } catch (RuntimeException e) {
        assertEquals(before, digest.get(), "refused " + e.getMessage() + " changed state");
        throw e;
      }
    }

    private long amount(long scale) {
      int mode = r.nextInt(20);
      if (mode == 0) {
        return -r.nextInt(5);
      }
      if (mode == 1) {
        return Long.MAX_VALUE - r.nextInt(5); // overflow
      }
      return 1 + Math.floorMod(r.nextLong(), Math.max(1, scale));
    }

    private void swap(boolean exactIn) {
      int pi = r.nextInt(POOLS);
      ComputePool p = pools[pi];
      int t = r.nextInt(ACCOUNTS);
      SwapDirection d = r.nextBoolean() ? SwapDirection.BUY_COMPUTE : SwapDirection.SELL_COMPUTE;
      boolean buy = d == SwapDirection.BUY_COMPUTE;
      long budget = buy ? tokens[t] : compute[t];
      long reserveOut = buy ? p.reserveCompute() : p.reserveTokens();
      BigInteger k0 = p.k();
      long deadline = r.nextInt(30) == 0 ? now - 1 : now + 100;
      SwapResult[] res = new SwapResult[1];
      if (exactIn) {
        long in = amount(buy ? p.reserveTokens() / 20 : p.reserveCompute() / 20);
        if (in > budget) {
          return; // the ledger refuses the debit before the pool sees it
        }
        checked(p::digest, () -> res[0] = p.swapExactIn(d, in, 0, deadline, now));
      } else {
        long out = r.nextInt(50) == 0 ? reserveOut + r.nextInt(3) : amount(reserveOut / 20);
        checked(p::digest, () -> res[0] = p.swapExactOut(d, out, budget, deadline, now));
      }
      SwapResult s = res[0];
      assertTrue(p.k().compareTo(k0) >= 0, "k fell");
      assertTrue(p.reserveCompute() > 0 && p.reserveTokens() > 0, "reserve drained");
      if (buy) {
        tokens[t] -= s.amountIn();
        compute[t] += s.amountOut();
      } else {
        compute[t] -= s.amountIn();
        tokens[t] += s.amountOut();
      }
    }

    private void liquidity(boolean add) {
      ComputePool p = pools[r.nextInt(POOLS)];
      int h = r.nextInt(ACCOUNTS);
      BigInteger k0 = p.k();
      BigInteger s0 = BigInteger.valueOf(p.totalShares());
      LiquidityResult[] res = new LiquidityResult[1];
      if (add) {
        long c = amount(compute[h] / 50);
        long t = amount(tokens[h] / 50);
        if (c > compute[h] || t > tokens[h]) {
          return;
        }
        checked(p::digest, () -> res[0] = p.addLiquidity(id(h), c, t, 0, 0, now, now));
        compute[h] -= res[0].compute();
        tokens[h] -= res[0].tokens();
      } else {
        long held = p.sharesOf(id(h));
        long burn = held == 0 || r.nextInt(10) == 0 ? 1 + r.nextInt(10) : 1 + r.nextLong(held);
        checked(p::digest, () -> res[0] = p.removeLiquidity(id(h), burn, 0, 0, now, now));
        compute[h] += res[0].compute();
        tokens[h] += res[0].tokens();
      }
      BigInteger s1 = BigInteger.valueOf(p.totalShares());
      // sqrt(k)/shares never falls: k1 * s0^2 >= k0 * s1^2
      assertTrue(p.k().multiply(s0).multiply(s0).compareTo(k0.multiply(s1).multiply(s1)) >= 0,
          "value per share fell");
    }

    private void vestingOp() {
      int op = r.nextInt(3);
      if (op == 0 || grants == 0) {
        long total = amount(1_000_000);
        if (total > tokens[7]) {
          return;
        }
        long dur = r.nextInt(3_000);
        int recipient = r.nextInt(ACCOUNTS);
        checked(vesting::digest, () -> vesting.grant(grants, id(recipient), id(7), total,
            new VestingSchedule(now, dur == 0 ? 0 : r.nextInt((int) dur), dur)));
        grants++;
        granted.add(total);
        tokens[7] -= total;
      } else if (op == 1) {
        int g = r.nextInt(grants);
        Grant gr = vesting.lookup(g);
        NodeId caller = r.nextInt(10) == 0 ? id(r.nextInt(ACCOUNTS)) : gr.recipient();
        long[] paid = new long[1];
        checked(vesting::digest, () -> paid[0] = vesting.release(g, caller, now));
        tokens[caller.toBytes()[31]] += paid[0];
      } else {
        int g = r.nextInt(grants);
        Grant gr = vesting.lookup(g);
        NodeId named = r.nextInt(5) == 0 ? id(r.nextInt(ACCOUNTS)) : gr.recipient();
        long[] back = new long[1];
        checked(vesting::digest, () -> back[0] = vesting.clawBack(g, named, id(7), now));
        tokens[7] += back[0];
      }
      if (grants > 0) {
        Grant gr = vesting.lookup(r.nextInt(grants));
        assertTrue(gr.released() <= gr.vestedAt(now) && gr.vestedAt(now) <= gr.total(),
            "vesting bounds " + gr);
      }
    }

    private void auctionOp() {
      AuctionTerms terms = auction.terms();
      if (now > terms.revealDeadlineMillis()) {
        AuctionOutcome o = auction.settle(now);
        o.refunds().forEach((b, d) -> tokens[b.toBytes()[31]] += d);
        o.forfeits().forEach((b, d) -> tokens[7] += d);
        auctionDeposits -= o.refunds().values().stream().mapToLong(Long::longValue).sum()
            + o.forfeitedMicros();
        assertEquals(0, auctionDeposits, "every deposit returned or forfeited");
        if (o.winner().isPresent()) {
          long pay = o.paymentMicros();
          assertTrue(pay >= o.winningBid().orElseThrow().priceMicros() && pay <= terms
              .reservePriceMicros(), "second price between winning bid and reserve");
          tokens[7] -= pay;
          tokens[o.winner().get().toBytes()[31]] += pay;
        }
        newAuction();
        return;
      }
      int b = r.nextInt(ACCOUNTS);
      Bid bid = new Bid(50 + r.nextInt(60_000), 1 + r.nextInt(1_200), 4_000 + r.nextInt(6_001));
      byte[] salt = Canonical.sha256(new byte[] {(byte) b, (byte) auctionSeq});
      if (now <= terms.commitDeadlineMillis() || r.nextInt(10) == 0) {
        byte[] c = bid(b, bid).commitment(terms.auctionId(), id(b), salt);
        long dep = r.nextInt(20) == 0 ? DEPOSIT - 1 : DEPOSIT;
        checked(auction::digest, () -> auction.commit(id(b), c, dep, now));
        tokens[b] -= dep;
        auctionDeposits += dep;
      } else {
        Bid shown = r.nextInt(10) == 0 ? new Bid(1, 1, 1) : bid(b, bid);
        checked(auction::digest, () -> auction.reveal(id(b), shown, salt, now));
      }
    }

    // each bidder's bid is fixed per auction so that its reveal can match its commitment
    private Bid bid(int b, Bid ignored) {
      long h = (auctionSeq * 1_000_003L + b) * 0x9E3779B97F4A7C15L;
      return new Bid(50 + Math.floorMod(h, 60_000), 1 + Math.floorMod(h >>> 20, 1_200),
          4_000 + Math.floorMod(h >>> 40, 6_001));
    }

    private void governanceOp() {
      int op = r.nextInt(8);
      if (op == 0 || proposals.isEmpty()) {
        long fee = r.nextInt(1_200);
        checked(governor::digest, () -> proposals.add(governor.propose(id(r.nextInt(ACCOUNTS)),
            Map.of(NetworkParameter.MARKET_FEE_BPS, fee), "fee " + now, now)));
        return;
      }
      // the few most recent proposals are the live ones
      ProposalId p = proposals.get(proposals.size() - 1 - r.nextInt(Math.min(4, proposals.size())));
      if (op <= 4) {
        Support s = Support.values()[r.nextInt(3)];
        long at = r.nextInt(10) == 0 ? now - r.nextInt(1_000) : now; // sometimes back-dated
        checked(governor::digest, () -> governor.castVote(p, id(r.nextInt(ACCOUNTS)), s, at));
      } else if (op == 5) {
        checked(governor::digest, () -> governor.queue(p, now));
      } else {
        long v0 = governor.config().version();
        checked(governor::digest, () -> governor.execute(p, now));
        assertEquals(v0 + 1, governor.config().version());
      }
    }
  }

  static World run(long seed, int ops) {
    World w = new World(seed);
    long t0 = w.totalTokens();
    long c0 = w.totalCompute();
    for (int i = 0; i < ops; i++) {
      w.step();
      if ((i & 63) == 0) {
        assertEquals(t0, w.totalTokens(), "seed " + seed + " op " + i + ": tokens conserved");
        assertEquals(c0, w.totalCompute(), "seed " + seed + " op " + i + ": compute conserved");
        for (long v : w.tokens) {
          assertTrue(v >= 0, "seed " + seed + ": negative balance");
        }
      }
      if ((i & 4095) == 0) {
        w.checkEscrow();
      }
    }
    assertEquals(t0, w.totalTokens(), "seed " + seed + ": tokens conserved");
    assertEquals(c0, w.totalCompute(), "seed " + seed + ": compute conserved");
    return w;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2})
  void conservationAndInvariantsOver60000MixedOperations(long seed) {
    World w = run(seed, 60_000);
    System.out.println("seed " + seed + ": " + w.accepted + " accepted, " + w.refusals
        + " refused, " + w.grants + " grants, " + w.auctionSeq + " auctions, "
        + w.proposals.size() + " proposals, config v" + w.governor.config().version());
    assertTrue(w.accepted > 20_000 && w.refusals > 1_000, "both paths exercised");
    assertTrue(w.auctionSeq > 10 && w.grants > 100 && w.governor.config().version() > 0,
        "every feature exercised");
  }

  @Test
  void sameSeedSameDigests() {
    String a = run(9, 10_000).digest();
    assertEquals(a, run(9, 10_000).digest());
    assertTrue(!a.equals(run(10, 10_000).digest()));
  }
}
