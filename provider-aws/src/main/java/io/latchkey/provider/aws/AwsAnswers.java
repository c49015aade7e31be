package io.latchkey.provider.aws;

import io.latchkey.spi.JsonValue;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The strict reader of the service's answers: checks, member by member, that a successful answer of
 * {@code GetSecretValue}, {@code BatchGetSecretValue} or {@code DescribeSecret} has the JSON types
 * the Secrets Manager API reference defines, before the SDK reads it.
 *
 * <p>The SDK's unmarshaller coerces: an object where {@code SecretString} is due becomes the text
 * <code>"&#123;"</code>, a number becomes its digits. A value built from such an answer would be
 * wrong, and would replace a good cached one; so a wrong type fails the whole answer instead. The
 * body is read with {@link JsonValue}, so that a member given twice fails, and a {@code null}
 * member reads as absent, as everywhere else. Members the provider does not know are not checked,
 * so that new members of the service pass. Messages name the operation, the member and the JSON
 * types, never a value.
 */
final class AwsAnswers {
  /** What a member must be. */
  private enum Type {
    STRING,
    BASE64,
    NUMBER,
    INTEGER,
    BOOLEAN,
    STRINGS,
    OBJECT,
    OBJECTS,
    STAGES
  }

  /** A member's type, and for an object or an array of objects, the members inside. */
  private record Member(Type type, Map<String, Member> members) {}

  private static final Member STRING = new Member(Type.STRING, Map.of());
  private static final Member NUMBER = new Member(Type.NUMBER, Map.of());

  /** A {@code GetSecretValue} answer, and each entry of {@code SecretValues}. */
  private static final Map<String, Member> SECRET_VALUE =
      Map.of(
          "ARN", STRING,
          "Name", STRING,
          "VersionId", STRING,
          "SecretString", STRING,
          "SecretBinary", new Member(Type.BASE64, Map.of()),
          "VersionStages", new Member(Type.STRINGS, Map.of()),
          "CreatedDate", NUMBER);

  private static final Map<String, Member> DESCRIBE =
      Map.ofEntries(
          Map.entry("ARN", STRING),
          Map.entry("Name", STRING),
          Map.entry("Description", STRING),
          Map.entry("KmsKeyId", STRING),
          Map.entry("RotationEnabled", new Member(Type.BOOLEAN, Map.of())),
          Map.entry("RotationLambdaARN", STRING),
          Map.entry(
              "RotationRules",
              new Member(
                  Type.OBJECT,
                  Map.of(
                      "AutomaticallyAfterDays", new Member(Type.INTEGER, Map.of()),
                      "Duration", STRING,
                      "ScheduleExpression", STRING))),
          Map.entry("LastRotatedDate", NUMBER),
          Map.entry("LastChangedDate", NUMBER),
          Map.entry("LastAccessedDate", NUMBER),
          Map.entry("DeletedDate", NUMBER),
          Map.entry("NextRotationDate", NUMBER),
          Map.entry("CreatedDate", NUMBER),
          Map.entry("Tags", new Member(Type.OBJECTS, Map.of("Key", STRING, "Value", STRING))),
          Map.entry("VersionIdsToStages", new Member(Type.STAGES, Map.of())),
          Map.entry("OwningService", STRING),
          Map.entry("PrimaryRegion", STRING),
          Map.entry(
              "ReplicationStatus",
              new Member(
                  Type.OBJECTS,
                  Map.of(
                      "Region", STRING,
                      "KmsKeyId", STRING,
                      "Status", STRING,
                      "StatusMessage", STRING,
                      "LastAccessedDate", NUMBER))));

  private static final Map<String, Member> BATCH =
      Map.of(
          "SecretValues", new Member(Type.OBJECTS, SECRET_VALUE),
          "Errors",
              new Member(
                  Type.OBJECTS, Map.of("SecretId", STRING, "ErrorCode", STRING, "Message", STRING)),
          "NextToken", STRING);

  /**
   * The cap on an answer to one secret: {@value} bytes. A secret value is at most 64 KiB, about 87
   * KiB as base64 {@code SecretBinary}, plus a few hundred bytes of metadata.
   */
  static final int SINGLE_CAP = 1 << 20;

  /**
   * The cap on an answer to {@code BatchGetSecretValue}: {@value} bytes. Twenty secrets of the
   * largest size fit in under 2 MiB.
   */
  static final int BATCH_CAP = 4 << 20;

  private AwsAnswers() {}

  /**
   * Checks the body of a successful answer.
   *
   * @param operation {@code GetSecretValue}, {@code DescribeSecret} or {@code BatchGetSecretValue};
   *     any other is not checked
   * @param body the whole body
   * @throws AnswerRejected if the body is not UTF-8 JSON, not an object, or a known member has
   *     another type
   */
  static void check(String operation, byte[] body) {
    checked(operation, body);
  }

  /**
   * Checks the body of a successful answer, as {@link #check} does, and returns it read.
   *
   * @return the body's JSON object, or null for an operation that is not checked
   * @throws AnswerRejected as {@link #check} does
   */
  static JsonValue checked(String operation, byte[] body) {
    Map<String, Member> members;
    switch (operation) {
      case "GetSecretValue":
        members = SECRET_VALUE;
        break;
      case "DescribeSecret":
        members = DESCRIBE;
        break;
      case "BatchGetSecretValue":
        members = BATCH;
        break;
      default:
        return null;
    }
    JsonValue root;
    try {
      root = JsonValue.parse(utf8(body));
    } catch (CharacterCodingException e) {
      throw new AnswerRejected("the answer to " + operation + " is not UTF-8 text");
    } catch (IllegalArgumentException e) {
      // The parser's message gives a position and what it expected, never the text.
      throw new AnswerRejected(
          "the answer to "
              + operation
              + " is not the JSON the service sends ("
              + e.getMessage()
              + ")");
    }
    try {
      root.names(); // refuses anything but an object
      object("", root, members);
    } catch (IllegalArgumentException e) {
      throw new AnswerRejected("the answer to " + operation + " is malformed: " + e.getMessage());
    }
    return root;
  }

  private static String utf8(byte[] body) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(body))
        .toString();
  }

  /**
   * Checks the members of an object; {@code at} is the object's path ({@code SecretValues[2]}),
   * empty for the answer itself, and prefixes the message of a member that fails.
   */
  private static void object(String at, JsonValue object, Map<String, Member> members) {
    for (Map.Entry<String, Member> e : members.entrySet()) {
      String name = e.getKey();
      Member member = e.getValue();
      String path = at.isEmpty() ? name : at + "." + name;
      switch (member.type()) {
        case OBJECT:
          JsonValue inner = read(at, () -> object.optionalObject(name)).orElse(null);
          if (inner != null) {
            object(path, inner, member.members());
          }
          break;
        case OBJECTS:
          List<JsonValue> entries = read(at, () -> object.optionalArray(name)).orElse(List.of());
          for (int i = 0; i < entries.size(); i++) {
            String where = path + "[" + i + "]";
            JsonValue entry = entries.get(i);
            read(where, entry::names);
            object(where, entry, member.members());
          }
          break;
        case STAGES:
          JsonValue stages = read(at, () -> object.optionalObject(name)).orElse(null);
          if (stages != null) {
            // The keys are version ids: an entry is named by its position, not its key.
            int i = 0;
            for (String key : stages.names()) {
              JsonValue labels = stages.member(key).orElseThrow();
              String where = path + " (entry " + i++ + ")";
              for (JsonValue label : read(where, labels::elements)) {
                read(where, label::asString);
              }
            }
          }
          break;
        default:
          read(at, () -> scalar(object, name, member.type()));
      }
    }
  }

  private static Object scalar(JsonValue object, String name, Type type) {
    switch (type) {
      case STRING:
        return object.optionalString(name);
      case BASE64:
        object
            .optionalString(name)
            .ifPresent(
                text -> {
                  try {
                    Base64.getDecoder().decode(text);
                  } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                        "member '" + name + "' is a string, expected base64");
                  }
                });
        return null;
      case NUMBER:
        return object.optionalDecimal(name);
      case INTEGER:
        return object.optionalInteger(name);
      case BOOLEAN:
        return object.optionalBoolean(name);
      case STRINGS:
        return object.optionalStrings(name);
      default:
        throw new AssertionError(type);
    }
  }

  /** Runs one typed read, naming where it happened in the message of a refusal. */
  private static <T> T read(String at, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (IllegalArgumentException e) {
      throw at.isEmpty() ? e : new IllegalArgumentException(at + ": " + e.getMessage());
    }
  }

  /**
   * An answer the provider refuses: malformed, or larger than its cap. Its message names the
   * operation and the reason, never the content; the error mapper turns it into {@code
   * MALFORMED_RESPONSE}.
   */
  static final class AnswerRejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AnswerRejected(String message) {
      // No stack trace: it is a verdict on an answer, not a bug, and is never logged as one.
      super(message, null, false, false);
    }
  }
}
