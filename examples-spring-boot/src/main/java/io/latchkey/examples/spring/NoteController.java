package io.latchkey.examples.spring;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/notes} and {@code /api/partner}: what the service does, and what it shows. */
@RestController
public class NoteController {
  private final NoteRepository notes;
  private final PartnerProperties partner;

  NoteController(NoteRepository notes, PartnerProperties partner) {
    this.notes = notes;
    this.partner = partner;
  }

  /**
   * Lists the notes.
   *
   * @return every note's text
   */
  @GetMapping("/api/notes")
  public List<String> list() {
    return notes.findAll().stream().map(Note::getText).toList();
  }

  /**
   * Stores a note.
   *
   * @param body {@code {"text": "…"}}
   * @return the note's id
   */
  @PostMapping("/api/notes")
  public Map<String, Object> add(@RequestBody Map<String, String> body) {
    return Map.of("id", notes.save(new Note(body.getOrDefault("text", ""))).getId());
  }

  /**
   * Describes the partner settings as an operator may see them: the token masked.
   *
   * @return the URL and the token's mask
   */
  @GetMapping("/api/partner")
  public Map<String, String> partner() {
    return Map.of("url", String.valueOf(partner.url()), "token", partner.token().toString());
  }
}
