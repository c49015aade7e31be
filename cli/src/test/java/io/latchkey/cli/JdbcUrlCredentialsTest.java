package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

final class JdbcUrlCredentialsTest {
  @Test
  void holdsCredential_credentialsInAnyDriverSyntax_true() {
    for (String url :
        List.of(
            "jdbc:postgresql://app:s3cret@db:5432/app",
            "jdbc:postgresql://ghp_token123@db/app",
            "jdbc:mysql://app:pw@db/app",
            "jdbc:postgresql://db/app?user=app&password=x",
            "jdbc:postgresql://db/app?sslpassword=x",
            "jdbc:postgresql://db/app?PASSWORD = x",
            "jdbc:postgresql://db/app?pass%77ord=x",
            "jdbc:sqlserver://db:1433;databaseName=app;user=app;PWD=x",
            "jdbc:sqlserver://db;pwd=x",
            "jdbc:sqlserver://db;accessToken=x",
            "jdbc:h2:mem:x;PASSWORD=x",
            "jdbc:mysql://(host=db,user=app,password=x)/app",
            "jdbc:db2://db:50000/app:user=app;password=x;",
            "jdbc:oracle:thin:app/pw@db:1521:orcl",
            "jdbc:snowflake://acct.snowflakecomputing.com/?private_key_file_pwd=x",
            "jdbc:databricks://host:443;AuthMech=3;UID=token;PWD=x",
            "jdbc:bigquery://x;OAuthAccessToken=x",
            "jdbc:foo://db/app?apiKey=x",
            "jdbc:foo://db/app?client_secret=x",
            "jdbc:postgresql://app:pw:@db/app",
            "jdbc:postgresql://app:pw/@db/app",
            "jdbc:postgresql://app:p?w@db/app",
            "jdbc:oracle:thin:app/pw:@db:1521:orcl")) {
      assertThat(JdbcUrlCredentials.holdsCredential(url)).as(url).isTrue();
    }
  }

  @Test
  void holdsCredential_urlsWithoutCredentials_false() {
    for (String url :
        List.of(
            "jdbc:postgresql://db:5432/app",
            "jdbc:postgresql://db:5432/app?sslmode=require&user=app",
            "jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary",
            "jdbc:h2:mem:x;DB_CLOSE_DELAY=-1",
            "jdbc:oracle:thin:@db:1521:orcl",
            "jdbc:oracle:thin:@//db:1521/svc",
            "jdbc:sqlserver://db:1433;databaseName=app;encrypt=true")) {
      assertThat(JdbcUrlCredentials.holdsCredential(url)).as(url).isFalse();
    }
  }
}
