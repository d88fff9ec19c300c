package org.imapra.it.app;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Subjects the MDB received, for the test to read over HTTP. */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Received {

    private final List<String> subjects = new CopyOnWriteArrayList<>();

    public void add(String subject) {
        subjects.add(subject);
    }

    public List<String> subjects() {
        return List.copyOf(subjects);
    }
}
