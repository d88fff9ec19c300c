package org.imapra.api;

import java.io.Serializable;

/**
 * The STATUS of a folder.
 *
 * @param folder      full folder name
 * @param messages    number of messages
 * @param unseen      number of messages without \Seen
 * @param uidValidity the folder's UIDVALIDITY: UIDs are only comparable while it is unchanged
 * @param uidNext     the UID the next message will get (a lower bound)
 */
public record FolderStatus(String folder, int messages, int unseen, long uidValidity, long uidNext)
        implements Serializable {
}
