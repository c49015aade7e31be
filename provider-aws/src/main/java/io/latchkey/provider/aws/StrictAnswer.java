package io.latchkey.provider.aws;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Checks that an answer of Secrets Manager has, in every member the provider knows, the JSON type
 * the service defines, before the SDK reads it.
 *
 * <p>The SDK's unmarshaller coerces: an object where {@code SecretString} is due becomes the text
 * {@code "{"}, a number becomes its digits. A value built from such an answer would be wrong, and
 * would replace a good cached one; so a wrong type fails the whole answer instead. Members the
 * provider does not know are not checked, so that new members of the service pass. Messages name
 * the operation, the member and the JSON types, never a value; Jackson's own errors (which quote
 * the input) are never passed on.
 */
final class StrictAnswer {
  /** The JSON type a member must have. */
  private enum Type {
    STRING("a string"),
    BASE64("a base64 string"),
    NUMBER("a number"),
    BOOLEAN("a boolean"),
    OBJECT("an object"),
    STRINGS("an array of strings"),
    OBJECTS("an array of objects"),
    STAGES("an object of arrays of strings"),
    ENTRIES("an array of secret values"),
    ERRORS("an array of errors");

    final String label;

    Type(String label) {
      this.label = label;
    }
  }

  /** A {@code GetSecretValue} answer, and each entry of {@code SecretValues}. */
  private static final Map<String, Type> VALUE =
      Map.of(
          "ARN", Type.STRING,
          "Name", Type.STRING,
          "VersionId", Type.STRING,
          "SecretString", Type.STRING,
          "SecretBinary", Type.BASE64,
          "VersionStages", Type.STRINGS,
          "CreatedDate", Type.NUMBER);

  private static final Map<String, Type> DESCRIBE =
      Map.ofEntries(
          Map.entry("ARN", Type.STRING),
          Map.entry("Name", Type.STRING),
          Map.entry("Description", Type.STRING),
          Map.entry("KmsKeyId", Type.STRING),
          Map.entry("RotationEnabled", Type.BOOLEAN),
          Map.entry("RotationLambdaARN", Type.STRING),
          Map.entry("RotationRules", Type.OBJECT),
          Map.entry("LastRotatedDate", Type.NUMBER),
          Map.entry("LastChangedDate", Type.NUMBER),
          Map.entry("LastAccessedDate", Type.NUMBER),
          Map.entry("DeletedDate", Type.NUMBER),
          Map.entry("NextRotationDate", Type.NUMBER),
          Map.entry("CreatedDate", Type.NUMBER),
          Map.entry("Tags", Type.OBJECTS),
          Map.entry("VersionIdsToStages", Type.STAGES),
          Map.entry("OwningService", Type.STRING),
          Map.entry("PrimaryRegion", Type.STRING),
          Map.entry("ReplicationStatus", Type.OBJECTS));

  private static final Map<String, Type> BATCH =
      Map.of(
          "SecretValues", Type.ENTRIES,
          "Errors", Type.ERRORS,
          "NextToken", Type.STRING);

  private static final Map<String, Type> ERROR =
      Map.of(
          "SecretId", Type.STRING,
          "ErrorCode", Type.STRING,
          "Message", Type.STRING);

  // Duplicate members are refused: which of two SecretStrings the SDK would keep is not ours to
  // guess.
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private StrictAnswer() {}

  /**
   * Checks the body of a successful answer.
   *
   * @param operation {@code GetSecretValue}, {@code DescribeSecret} or {@code BatchGetSecretValue};
   *     any other is not checked
   * @param body the whole body
   * @throws AnswerRejected if the body is not a JSON object, or a known member has another type
   */
  static void check(String operation, byte[] body) {
    Map<String, Type> members;
    switch (operation) {
      case "GetSecretValue":
        members = VALUE;
        break;
      case "DescribeSecret":
        members = DESCRIBE;
        break;
      case "BatchGetSecretValue":
        members = BATCH;
        break;
      default:
        return;
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new AnswerRejected("the answer to " + operation + " is not the JSON the service sends");
    } catch (IOException e) {
      throw new AnswerRejected("the answer to " + operation + " cannot be read as JSON");
    }
    if (root == null || !root.isObject()) {
      throw new AnswerRejected(
          "the answer to " + operation + " is " + kind(root) + ", not a JSON object");
    }
    object(operation, "", root, members);
  }

  private static void object(String operation, String at, JsonNode node, Map<String, Type> types) {
    for (Map.Entry<String, Type> e : types.entrySet()) {
      JsonNode member = node.get(e.getKey());
      if (member != null) {
        member(operation, at + e.getKey(), member, e.getValue());
      }
    }
  }

  private static void member(String operation, String at, JsonNode node, Type type) {
    boolean ok;
    switch (type) {
      case STRING:
        ok = node.isTextual();
        break;
      case BASE64:
        ok = node.isTextual() && isBase64(node.textValue());
        break;
      case NUMBER:
        ok = node.isNumber();
        break;
      case BOOLEAN:
        ok = node.isBoolean();
        break;
      case OBJECT:
        ok = node.isObject();
        break;
      case STRINGS:
        ok = node.isArray();
        if (ok) {
          for (int i = 0; i < node.size(); i++) {
            member(operation, at + "[" + i + "]", node.get(i), Type.STRING);
          }
        }
        break;
      case OBJECTS:
        ok = node.isArray();
        if (ok) {
          for (int i = 0; i < node.size(); i++) {
            member(operation, at + "[" + i + "]", node.get(i), Type.OBJECT);
          }
        }
        break;
      case STAGES:
        ok = node.isObject();
        if (ok) {
          // The keys are version ids and are not quoted; the position says which entry failed.
          int i = 0;
          for (JsonNode stages : node) {
            member(operation, at + " (entry " + i++ + ")", stages, Type.STRINGS);
          }
        }
        break;
      case ENTRIES:
      case ERRORS:
        ok = node.isArray();
        if (ok) {
          for (int i = 0; i < node.size(); i++) {
            String where = at + "[" + i + "]";
            JsonNode entry = node.get(i);
            member(operation, where, entry, Type.OBJECT);
            object(operation, where + ".", entry, type == Type.ENTRIES ? VALUE : ERROR);
          }
        }
        break;
      default:
        throw new AssertionError(type);
    }
    if (!ok) {
      throw new AnswerRejected(
          "the answer to "
              + operation
              + " is malformed: "
              + at
              + " is "
              + kind(node)
              + ", not "
              + type.label);
    }
  }

  private static boolean isBase64(String text) {
    try {
      Base64.getDecoder().decode(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "empty";
    }
    switch (node.getNodeType()) {
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case NULL:
        return "null";
      default:
        return "another JSON value";
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

    /**
     * Wraps it for the SDK, which passes an {@link SdkClientException} thrown by an interceptor on
     * with its cause (a subclass would be rebuilt as its base type), so that the provider's catch
     * of SDK failures sends it to the error mapper with every other.
     */
    SdkClientException forSdk() {
      return SdkClientException.create(getMessage(), this);
    }
  }
}
