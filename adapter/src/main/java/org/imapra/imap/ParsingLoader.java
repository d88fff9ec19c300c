package org.imapra.imap;

import jakarta.mail.MessagingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The context class loader under which Angus parses what the adapter fetches. Jakarta Mail 2.1 looks its
 * {@code StreamProvider} up anew, with a {@link java.util.ServiceLoader} of the thread's context class loader, for
 * every message, body part, header block and decoder it makes ({@code FactoryFinder}; nothing is cached). Under an
 * application server's class loaders each lookup walks every jar the application and the server can see: about
 * 0.1 ms a lookup in Payara Micro, the larger part of fetching a small message. This loader answers a
 * {@code META-INF/services/} lookup with what its parent, the adapter's own class loader, answered the first time
 * (the files' content kept in memory), and leaves everything else to the parent. It lives as long as the adapter's classes; a thread has it only while
 * {@link #run} runs.
 */
final class ParsingLoader extends ClassLoader {

    private static final String SERVICES = "META-INF/services/";
    private static final ParsingLoader INSTANCE = new ParsingLoader(ParsingLoader.class.getClassLoader());

    static {
        registerAsParallelCapable();
    }

    private final ConcurrentMap<String, List<URL>> services = new ConcurrentHashMap<>();

    private ParsingLoader(ClassLoader parent) {
        super("imapra-parsing", parent);
    }

    /** What {@link #run} runs. */
    interface Parse<T> {
        T run() throws MessagingException;
    }

    /** Runs {@code parse} with this loader as the thread's context class loader, then puts the thread's back. */
    static <T> T run(Parse<T> parse) throws MessagingException {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(INSTANCE);
        try {
            return parse.run();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (!name.startsWith(SERVICES)) {
            return super.getResources(name);
        }
        List<URL> urls = services.get(name);
        if (urls == null) {
            List<URL> read = new ArrayList<>();
            for (URL u : Collections.list(super.getResources(name))) {
                read.add(InMemory.copyOf(u));
            }
            urls = List.copyOf(read);
            services.putIfAbsent(name, urls);
        }
        return Collections.enumeration(urls);
    }

    /**
     * A resource read once and served from memory: a server may turn URL caches off (GlassFish and Payara do, so as
     * not to hold jar files open), and then every read of a {@code jar:} URL opens the jar file anew.
     */
    private static final class InMemory extends URLStreamHandler {
        private final byte[] bytes;

        private InMemory(byte[] bytes) {
            this.bytes = bytes;
        }

        static URL copyOf(URL u) throws IOException {
            byte[] bytes;
            URLConnection c = u.openConnection();
            c.setUseCaches(false);
            try (InputStream in = c.getInputStream()) {
                bytes = in.readAllBytes();
            }
            return new URL("imapra-parsing", "", -1, u.toExternalForm(), new InMemory(bytes));
        }

        @Override
        protected URLConnection openConnection(URL u) {
            return new URLConnection(u) {
                @Override
                public void connect() {
                    connected = true;
                }

                @Override
                public InputStream getInputStream() {
                    return new ByteArrayInputStream(bytes);
                }
            };
        }
    }
}
