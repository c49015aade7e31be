package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the entries of one {@code BatchGetSecretValue} answer are given to the ids asked for: an ARN
 * claims its entry first, and a name takes only the one entry left with that name, so that a name
 * is never given another account's secret of the same name.
 */
final class BatchMatchingTest {
  private static final String OWN =
      "arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod/db-AbCdEf";
  private static final String SHARED =
      "arn:aws:secretsmanager:eu-west-1:222222222222:secret:prod/db-XyZ123";

  private static SecretsApi.Value entry(String arn, String name, String value) {
    return new SecretsApi.Value(arn, name, null, List.of(), value, null);
  }

  @Test
  void aNameAndAnotherAccountsArnOfTheSameName_eachGetTheirOwn_inEitherOrder() {
    SecretsApi.Value shared = entry(SHARED, "prod/db", "shared");
    SecretsApi.Value own = entry(OWN, "prod/db", "own");
    for (List<SecretsApi.Value> answer : List.of(List.of(shared, own), List.of(own, shared))) {
      for (List<String> ids : List.of(List.of("prod/db", SHARED), List.of(SHARED, "prod/db"))) {
        Map<String, SecretsApi.Value> matched = AwsBatchFetcher.matchAll(ids, answer);
        assertThat(matched.get("prod/db")).as("%s for %s", answer, ids).isSameAs(own);
        assertThat(matched.get(SHARED)).isSameAs(shared);
      }
    }
  }

  @Test
  void aPartialArn_claimsItsEntry_beforeTheName() {
    String partial = SHARED.substring(0, SHARED.length() - 7);
    SecretsApi.Value shared = entry(SHARED, "prod/db", "shared");
    SecretsApi.Value own = entry(OWN, "prod/db", "own");
    Map<String, SecretsApi.Value> matched =
        AwsBatchFetcher.matchAll(List.of("prod/db", partial), List.of(shared, own));
    assertThat(matched.get(partial)).isSameAs(shared);
    assertThat(matched.get("prod/db")).isSameAs(own);
  }

  @Test
  void aNameWhoseOnlyEntryAnArnClaimed_isLeftToTheSingleFetch() {
    // The own secret is missing (it is among the answer's errors): only the shared entry is there.
    SecretsApi.Value shared = entry(SHARED, "prod/db", "shared");
    Map<String, SecretsApi.Value> matched =
        AwsBatchFetcher.matchAll(List.of("prod/db", SHARED), List.of(shared));
    assertThat(matched).containsOnlyKeys(SHARED);
  }

  @Test
  void aNameWithSeveralEntriesLeft_isLeftToTheSingleFetch() {
    Map<String, SecretsApi.Value> matched =
        AwsBatchFetcher.matchAll(
            List.of("prod/db"),
            List.of(entry(SHARED, "prod/db", "shared"), entry(OWN, "prod/db", "own")));
    assertThat(matched).isEmpty();
  }

  @Test
  void namesAndArns_eachMatchTheirOwnEntry() {
    SecretsApi.Value a = entry(OWN.replace("prod/db-AbCdEf", "a-111111"), "a", "1");
    SecretsApi.Value b = entry(OWN.replace("prod/db-AbCdEf", "b-222222"), "b", "2");
    Map<String, SecretsApi.Value> matched =
        AwsBatchFetcher.matchAll(List.of("a", b.arn(), "absent"), List.of(b, a));
    assertThat(matched).containsOnlyKeys("a", b.arn());
    assertThat(matched.get("a")).isSameAs(a);
    assertThat(matched.get(b.arn())).isSameAs(b);
  }
}
