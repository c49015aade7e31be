/**
 * The {@code aws} secret provider: AWS Secrets Manager through the AWS SDK for Java 2.x; see {@link
 * io.latchkey.provider.aws.AwsSecretProvider}.
 *
 * <p>It registers {@link io.latchkey.provider.aws.AwsSecretProviderFactory}, which {@code
 * SECRET_PROVIDER=aws} selects. The AWS SDK jars have no module descriptors, only stable {@code
 * Automatic-Module-Name}s, which is what these {@code requires} name; the two the builder's
 * signatures use are transitive.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.latchkey.provider.aws {
  requires transitive io.latchkey;
  requires transitive software.amazon.awssdk.services.secretsmanager;
  requires transitive software.amazon.awssdk.auth;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.utils;

  exports io.latchkey.provider.aws;

  provides io.latchkey.spi.SecretProviderFactory with
      io.latchkey.provider.aws.AwsSecretProviderFactory;
}
