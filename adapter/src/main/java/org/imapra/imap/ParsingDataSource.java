package org.imapra.imap;

import jakarta.activation.DataSource;
import jakarta.mail.MessageAware;
import jakarta.mail.MessageContext;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The content of a part of a message fetched whole, as Jakarta Mail's own {@link MimePartDataSource} gives it, but
 * decoded under the {@link ParsingLoader}: reading a part (getInputStream, getContent) makes a decoder through
 * Jakarta Mail 2.1's StreamProvider, looked up anew with a ServiceLoader of the thread's context class loader at every
 * read. A listener reads under its application's class loader, which the container sets (in Payara a scan of every
 * jar of the application and of the server, about 0.1 ms); the adapter's loader answers it from memory.
 */
final class ParsingDataSource implements DataSource, MessageAware {

    private final MimePartDataSource source;

    ParsingDataSource(MimePart part) {
        this.source = new MimePartDataSource(part);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        try {
            return ParsingLoader.run(() -> {
                try {
                    return source.getInputStream();
                } catch (IOException e) {
                    throw new MessagingException(e.getMessage(), e);
                }
            });
        } catch (MessagingException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return source.getOutputStream();
    }

    @Override
    public String getContentType() {
        return source.getContentType();
    }

    @Override
    public String getName() {
        return source.getName();
    }

    @Override
    public MessageContext getMessageContext() {
        return source.getMessageContext();
    }
}
