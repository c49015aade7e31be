package io.latchkey.crypto;

import io.latchkey.crypto.internal.KeyLists;

/** What a Fernet key list needs to know about Fernet keys. */
final class KeyListParser implements KeyLists.Shape<FernetKey> {
  static final KeyListParser FERNET = new KeyListParser();

  private KeyListParser() {}

  @Override
  public String problemWith(CharSequence key) {
    return FernetKey.problemWith(key);
  }

  @Override
  public FernetKey parse(CharSequence key, String source) {
    return FernetKey.parse(key, source);
  }

  @Override
  public String expected() {
    return "a Fernet key (32 bytes of URL-safe base64, 44 characters)";
  }

  @Override
  public String noun() {
    return "Fernet key";
  }

  @Override
  public String keygen() {
    return "'latchkey keygen'";
  }
}
