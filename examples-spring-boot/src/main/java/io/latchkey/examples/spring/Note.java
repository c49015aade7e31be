package io.latchkey.examples.spring;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/** A note, stored through JPA in the database whose password comes from Secrets Manager. */
@Entity
public class Note {
  @Id @GeneratedValue private Long id;
  private String text;

  /** For JPA. */
  protected Note() {}

  /**
   * Creates a note.
   *
   * @param text its text
   */
  public Note(String text) {
    this.text = text;
  }

  /**
   * Returns the id.
   *
   * @return the id, once stored
   */
  public Long getId() {
    return id;
  }

  /**
   * Returns the text.
   *
   * @return the text
   */
  public String getText() {
    return text;
  }
}
