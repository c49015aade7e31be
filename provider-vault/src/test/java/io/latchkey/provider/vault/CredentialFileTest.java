package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.failure;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a login reads its credential from (a token file, a secret ID file, a service account
 * token): what a read of each says when the file is missing, empty or too large, never naming its
 * path (a setting declared secret) nor its content, and a file that never ends read no further than
 * the cap. No request reaches Vault: each fails before its first one.
 */
final class CredentialFileTest {
  private static final String CANARY = "hvs.CANARYs3cr3t-4f1c-9b2e";
  private static final SecretRef APP = ref("vault:secret/data/app#k");
  // Nothing listens here; the login fails on its file first.
  private static final URI NOWHERE = URI.create("http://127.0.0.1:9");

  @TempDir Path dir;

  private static ProviderException fetchWith(
      Function<VaultSecretProvider.Builder, VaultSecretProvider.Builder> login) {
    try (LogCapture log = LogCapture.startAtEveryLevel();
        VaultSecretProvider provider =
            login.apply(VaultSecretProvider.builder().address(NOWHERE)).build()) {
      ProviderException e = failure(() -> provider.fetch(APP));
      Leaks.assertNoLeak(e, CANARY);
      Leaks.assertNoLeak("the provider's toString()", provider.toString(), CANARY);
      Leaks.assertNoLeak("the provider's log", log.text(), CANARY);
      return e;
    }
  }

  @Test
  void tokenFile_missing_isUnavailable_withoutItsPath() {
    Path file = dir.resolve(CANARY);
    ProviderException e = fetchWith(b -> b.tokenFile(file));
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.reason()).isEqualTo("cannot read the token file (NoSuchFileException)");
    Leaks.assertNoLeak(e, dir.toString());
    assertThat(new Login.TokenFile(file).toString()).isEqualTo("TokenFile[***]");
  }

  @Test
  void secretIdFile_empty_isUnavailable_withoutItsPath() throws Exception {
    Path file = Files.writeString(dir.resolve(CANARY), " \n");
    ProviderException e = fetchWith(b -> b.appRole("role", file));
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.reason()).isEqualTo("the secret ID file is empty");
  }

  @Test
  void serviceAccountTokenFile_largerThanTheCap_isRefused() throws Exception {
    Path file = dir.resolve(CANARY);
    Files.write(file, new byte[Login.MAX_FILE_BYTES + 1]);
    ProviderException e = fetchWith(b -> b.kubernetes("app", file));
    assertThat(e.kind()).isEqualTo(Kind.OTHER);
    assertThat(e.reason())
        .isEqualTo("the service account token file is larger than a credential can be");
  }

  @Test
  void credentialFile_ofExactlyTheCap_isRead() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "t".repeat(Login.MAX_FILE_BYTES));
    assertThat(Login.readFile(APP, file, "the token file")).hasSize(Login.MAX_FILE_BYTES);
  }

  @Test
  void credentialFile_thatIsADevice_isRefusedUnread() {
    Path zero = Path.of("/dev/zero");
    assumeTrue(Files.isReadable(zero), "no /dev/zero here");
    ProviderException e = fetchWith(b -> b.tokenFile(zero));
    assertThat(e.kind()).isEqualTo(Kind.OTHER);
    assertThat(e.reason())
        .isEqualTo("the token file is not a regular file (a device, a pipe or a socket)");
  }

  @Test
  void credentialFile_thatIsAPipe_isRefusedWithoutOpeningIt() throws Exception {
    // Opening a FIFO that no process writes to blocks: this returns only because it is never
    // opened.
    Path pipe = fifo(dir.resolve("token-pipe"));
    ProviderException e = fetchWith(b -> b.tokenFile(pipe));
    assertThat(e.kind()).isEqualTo(Kind.OTHER);
    assertThat(e.reason())
        .isEqualTo("the token file is not a regular file (a device, a pipe or a socket)");
  }

  /** Makes a FIFO with {@code mkfifo}, or skips the test where there is none. */
  static Path fifo(Path path) throws IOException, InterruptedException {
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "mkfifo is not available");
      throw e;
    }
    assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
    return path;
  }

  @Test
  void credentialFile_thatIsNotUtf8_isUnreadable() throws Exception {
    Path file = Files.write(dir.resolve("token"), new byte[] {'h', 'v', 's', '.', (byte) 0xff});
    ProviderException e = fetchWith(b -> b.tokenFile(file));
    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e.reason()).isEqualTo("cannot read the token file (MalformedInputException)");
  }
}
