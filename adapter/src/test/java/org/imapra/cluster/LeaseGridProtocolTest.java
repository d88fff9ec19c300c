package org.imapra.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link LeaseContract} on two real Hazelcast members on loopback ({@link HazelcastLeaseGrid}). */
class LeaseGridProtocolTest extends LeaseContract {

    static EmbeddedGrid grid;

    @BeforeAll
    static void start() {
        grid = new EmbeddedGrid();
        HazelcastInstance ha = grid.startMember("a");
        HazelcastInstance hb = grid.startMember("b");
        a = new HazelcastLeaseGrid(ha);
        b = new HazelcastLeaseGrid(hb);
    }

    @AfterAll
    static void stop() {
        grid.close();
    }

    @Test
    void aMemberIsNamedByItsInstanceAndAddress() {
        assertTrue(a.memberName().startsWith("a ("), a.memberName());
    }
}
