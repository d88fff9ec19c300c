package org.imapra.cluster;

/**
 * One holding of a cluster-wide lease: who ({@code member}, the instance's name, and {@code token}, the activation
 * on it), the {@code epoch} (raised by every new holder, so a holder that lost the lease cannot pass for the new one)
 * and until when it holds (cluster time, epoch ms). Stored in the grid as a plain string, so that no adapter class is
 * ever deserialised by the grid. A free lease (released or never held) has an empty token.
 *
 * @param since cluster time at which this holder took the lease
 */
public record Lease(String key, String member, String token, long epoch, long expiresAt, long since) {

    /** A lease nobody holds, keeping the last epoch (free since {@code at}). */
    static Lease free(String key, long epoch, long at) {
        return new Lease(key, "", "", epoch, at, at);
    }

    boolean isFree() {
        return token.isEmpty();
    }

    boolean expired(long now) {
        return isFree() || now >= expiresAt;
    }

    Lease renewed(long expiresAt) {
        return new Lease(key, member, token, epoch, expiresAt, since);
    }

    /** epoch|expiresAt|since|token|member (the member name last: it may hold any character). */
    String encode() {
        return epoch + "|" + expiresAt + "|" + since + "|" + token + "|" + member;
    }

    static Lease decode(String key, String value) {
        String[] f = value.split("\\|", 5);
        if (f.length != 5) {
            throw new IllegalArgumentException("not a lease: " + value);
        }
        return new Lease(key, f[4], f[3], Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
}
