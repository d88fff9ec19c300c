package org.imapra.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.logging.Level;
import org.imapra.testsupport.LogCapture;
import org.junit.jupiter.api.Test;

/** Without a data grid (no JNDI here, as on a server without one) every lease is granted, and the log says why. */
class DataGridsTest {

    @Test
    void withoutAGridEveryLeaseIsGrantedAndTheLogSaysSoOnce() {
        LogCapture logs = LogCapture.install("org.imapra.cluster");
        try {
            LeaseGrid grid = DataGrids.discover(DataGrids.PAYARA_JNDI);
            assertSame(LeaseGrid.ALONE, grid);
            assertFalse(grid.shared());
            List<String> lines = logs.messages(Level.INFO, s -> s.startsWith("No data grid: "));
            assertEquals(1, lines.size(), lines.toString());
            Lease l = grid.acquire("k", "t", 1_000);
            assertEquals(l, grid.renew(l, 1_000));
            assertEquals(1, grid.liveMembers());
        } finally {
            logs.uninstall();
        }
    }
}
