package org.imapra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The lease protocol every {@link LeaseGrid} keeps, on two members {@code a} and {@code b} of a real store (set by
 * the subclass before its tests): one holder, epochs, expiry, fencing, spread.
 */
abstract class LeaseContract {

    static LeaseGrid a;
    static LeaseGrid b;

    @Test
    void oneHolderAtATimeAndEveryNewHolderRaisesTheEpoch() {
        Lease first = a.acquire("k1", "t1", 60_000);
        assertNotNull(first);
        assertNull(b.acquire("k1", "t2", 60_000), "taken while held");
        assertEquals(2, a.liveMembers());
        assertEquals(first.member(), b.holder("k1").member());
        assertTrue(a.memberName().startsWith("a"), a.memberName());
        a.release(first);
        assertNull(b.holder("k1"));
        Lease second = b.acquire("k1", "t2", 60_000);
        assertEquals(first.epoch() + 1, second.epoch());
        assertNull(a.renew(first, 60_000), "the old holding renewed after another took it");
        a.release(first); // a stale release frees nothing
        assertEquals(second.token(), a.holder("k1").token());
        assertNotNull(b.renew(second, 60_000));
    }

    @Test
    void anExpiredLeaseIsTakenByAnotherAndCannotBeRenewedByItsOldHolder() throws Exception {
        Lease held = a.acquire("k2", "t1", 300);
        assertNotNull(held);
        long until = held.expiresAt();
        while (b.now() < until) {
            Thread.sleep(20); // the grid's clock passes the expiry (bounded by the 300 ms TTL)
        }
        assertNull(a.renew(held, 60_000), "renewed after it expired");
        Lease taken = b.acquire("k2", "t2", 60_000);
        assertNotNull(taken);
        assertEquals(held.epoch() + 1, taken.epoch());
    }

    @Test
    void aFreeLeaseKeepsItsEpochAndWhenItWasFreed() {
        assertNull(b.entry("e1"));
        Lease held = a.acquire("e1", "t", 60_000);
        assertEquals(held, b.entry("e1"));
        a.release(held);
        Lease free = b.entry("e1");
        assertTrue(free.isFree() && free.epoch() == held.epoch() && free.since() >= held.since(), free.toString());
        assertNull(b.holder("e1"));
    }

    @Test
    void anInstanceAtItsShareLeavesANewLeaseToOthersForOneTtl() {
        LeaseSpread spread = spread(a, "s1", "s2", "s3", "s4"); // 4 keys, 2 members: a share of 2
        assertNotNull(spread.take("s1", "t", 60_000));
        assertNotNull(spread.take("s2", "t", 60_000));
        assertNull(spread.take("s3", "t", 60_000), "taken above the share");
        LeaseSpread other = new LeaseSpread(b);
        other.register("s3");
        assertNotNull(other.take("s3", "u", 60_000));
    }

    @Test
    void anInstanceAtItsShareTakesAnExpiredLeaseAtOnceButLeavesAReleasedOneToOthers() throws Exception {
        LeaseSpread spread = spread(b, "x1", "x2", "x3", "x4"); // 4 keys, 2 members: a share of 2
        assertNotNull(spread.take("x1", "t", 60_000));
        assertNotNull(spread.take("x2", "t", 60_000)); // b is at its share now
        Lease dying = a.acquire("x3", "dead", 300); // a's holder dies: nobody renews it
        Lease released = a.acquire("x4", "gone", 60_000);
        a.release(released); // a's holder stopped and handed it over
        while (b.now() < dying.expiresAt()) {
            Thread.sleep(20); // the grid's clock passes the expiry (bounded by the 300 ms TTL)
        }
        assertNull(spread.take("x4", "t", 60_000), "a released lease taken above the share before a TTL passed");
        Lease taken = spread.take("x3", "t", 60_000);
        assertNotNull(taken, "an expired lease (its holder died) waited another TTL: the takeover must come within "
                + "the TTL and one retry, whatever this instance's share");
        assertEquals(dying.epoch() + 1, taken.epoch());
    }

    /** The spread of an instance on {@code grid} whose activations consume {@code keys}. */
    private static LeaseSpread spread(LeaseGrid grid, String... keys) {
        LeaseSpread spread = new LeaseSpread(grid);
        for (String k : keys) {
            spread.register(k);
        }
        return spread;
    }
}
