package io.latchkey.examples.spring;

import org.springframework.data.jpa.repository.JpaRepository;

/** The notes table. */
public interface NoteRepository extends JpaRepository<Note, Long> {}
