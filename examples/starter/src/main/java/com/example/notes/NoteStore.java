package com.example.notes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The notes, in memory: a real server would keep them in its own database. Thread-safe. */
final class NoteStore {

    /** One note and who wrote it (the verified caller, never a name the client sent). */
    record Note(int id, String text, String author, Instant created) {
    }

    static final int MAX_TEXT_LENGTH = 1000;

    private final List<Note> notes = new ArrayList<>();

    synchronized Note add(String text, String author) {
        if (text.isBlank() || text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("text must be 1 to " + MAX_TEXT_LENGTH + " characters");
        }
        Note note = new Note(notes.size() + 1, text.strip(), author, Instant.now());
        notes.add(note);
        return note;
    }

    synchronized List<Note> list() {
        return List.copyOf(notes);
    }
}
