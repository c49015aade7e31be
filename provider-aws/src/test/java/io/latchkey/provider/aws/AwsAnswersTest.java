package io.latchkey.provider.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.provider.aws.AwsAnswers.AnswerRejected;
import io.latchkey.testsupport.Leaks;
import org.junit.jupiter.api.Test;

/**
 * The strict reader of answer bodies, on bodies written by hand: what passes, what fails, and how.
 */
final class AwsAnswersTest {
  private static final String CANARY = "cAnArY-5e1c7";

  private static String rejected(String operation, String body) {
    AnswerRejected e =
        catchThrowableOfType(
            AnswerRejected.class, () -> AwsAnswers.check(operation, body.getBytes(UTF_8)));
    assertThat(e).as(body).isNotNull();
    Leaks.assertNoLeak(e, CANARY);
    return e.getMessage();
  }

  private static void passes(String operation, String body) {
    assertThatCode(() -> AwsAnswers.check(operation, body.getBytes(UTF_8)))
        .as(body)
        .doesNotThrowAnyException();
  }

  @Test
  void theServicesAnswers_pass_withUnknownMembersAndNullsAsAbsent() {
    passes(
        "GetSecretValue",
        "{\"ARN\":\"arn:x\",\"Name\":\"n\",\"VersionId\":\"v\",\"SecretString\":\""
            + CANARY
            + "\",\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.523477145713E9,"
            + "\"SomethingNew\":{\"a\":[1]}}");
    passes("GetSecretValue", "{\"SecretBinary\":\"AAEC\",\"SecretString\":null}");
    passes(
        "DescribeSecret",
        "{\"Name\":null,\"RotationEnabled\":true,\"RotationRules\":{\"AutomaticallyAfterDays\":30},"
            + "\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}],\"VersionIdsToStages\":"
            + "{\"a\":[\"AWSCURRENT\"],\"b\":[]},\"DeletedDate\":1700000000}");
    passes(
        "BatchGetSecretValue",
        "{\"SecretValues\":[{\"Name\":\"n\",\"SecretString\":\"s\"}],\"Errors\":[]}");
    passes("ListSecrets", "not even JSON: only the three calls the provider makes are read");
  }

  @Test
  void aWrongType_namesTheOperationAndTheMember_notTheValue() {
    assertThat(rejected("GetSecretValue", "{\"SecretString\":{\"password\":\"" + CANARY + "\"}}"))
        .isEqualTo(
            "the answer to GetSecretValue is malformed: member 'SecretString' is an object,"
                + " expected a string");
    assertThat(rejected("GetSecretValue", "{\"SecretBinary\":\"" + CANARY + "!\"}"))
        .isEqualTo(
            "the answer to GetSecretValue is malformed: member 'SecretBinary' is a string,"
                + " expected base64");
  }

  @Test
  void nestedMembers_areNamedByTheirPath() {
    assertThat(
            rejected(
                "BatchGetSecretValue",
                "{\"SecretValues\":[{\"Name\":\"a\"},{\"Name\":\"b\",\"VersionStages\":[\""
                    + CANARY
                    + "\",3]}]}"))
        .isEqualTo(
            "the answer to BatchGetSecretValue is malformed: SecretValues[1]: an element of member"
                + " 'VersionStages' is a number, expected a string");
    assertThat(rejected("BatchGetSecretValue", "{\"SecretValues\":[\"" + CANARY + "\"]}"))
        .isEqualTo(
            "the answer to BatchGetSecretValue is malformed: SecretValues[0]: the value is a"
                + " string, expected an object");
    assertThat(rejected("DescribeSecret", "{\"RotationRules\":{\"Duration\":4}}"))
        .isEqualTo(
            "the answer to DescribeSecret is malformed: RotationRules: member 'Duration' is a"
                + " number, expected a string");
  }

  @Test
  void versionIdsToStages_namesTheEntryByPosition_neverByItsKey() {
    String message =
        rejected(
            "DescribeSecret",
            "{\"VersionIdsToStages\":{\"a\":[\"AWSPREVIOUS\"],\"" + CANARY + "\":\"AWSCURRENT\"}}");

    assertThat(message)
        .isEqualTo(
            "the answer to DescribeSecret is malformed: VersionIdsToStages (entry 1): the value is"
                + " a string, expected an array");
  }

  @Test
  void notAnObject_aMemberTwice_notJson_orNotUtf8_areRefused() {
    assertThat(rejected("GetSecretValue", "[\"" + CANARY + "\"]"))
        .isEqualTo(
            "the answer to GetSecretValue is malformed: the value is an array, expected an object");
    assertThat(
            rejected(
                "GetSecretValue",
                "{\"SecretString\":\"" + CANARY + "\",\"SecretString\":\"other\"}"))
        .startsWith("the answer to GetSecretValue is not the JSON the service sends (");
    assertThat(rejected("GetSecretValue", "{\"SecretString\":\"" + CANARY + "\"} trailing"))
        .startsWith("the answer to GetSecretValue is not the JSON the service sends (");
    AnswerRejected e =
        catchThrowableOfType(
            AnswerRejected.class,
            () -> AwsAnswers.check("GetSecretValue", new byte[] {'{', '"', (byte) 0xC3, '"'}));
    assertThat(e).hasMessage("the answer to GetSecretValue is not UTF-8 text");
  }
}
