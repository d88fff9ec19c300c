package org.imapra.outbound;

import jakarta.resource.spi.ManagedConnectionMetaData;

/** Describes the EIS behind a managed connection. */
record ImapMetaData(String userName) implements ManagedConnectionMetaData {

    @Override
    public String getEISProductName() {
        return "IMAP";
    }

    @Override
    public String getEISProductVersion() {
        return "IMAP4rev1";
    }

    @Override
    public int getMaxConnections() {
        return 0;
    }

    @Override
    public String getUserName() {
        return userName;
    }
}
