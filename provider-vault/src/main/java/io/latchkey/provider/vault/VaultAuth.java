package io.latchkey.provider.vault;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the Vault token and keeps it alive: logs in on first use, learns the token's lease (from
 * the login, or from {@code lookup-self} for a token given as it is, which the renewer sends while
 * the first reads already use the token), renews it at two thirds of its lease through the {@link
 * RenewalScheduler} (on the provider's clock), and logs in again when renewal fails, the lease is
 * not renewable or the maximum TTL draws near.
 *
 * <p>Each token gets a generation number, so that when many requests are denied at once (an expired
 * token) only the first logs in again and the rest retry with its token. A denial leads to a new
 * login only when Vault refuses the token itself ({@link #reauthenticate}): a policy that denies
 * one path must not cost a login, and the credential's uses, per read.
 *
 * <p>Log lines name the method and the lease, never a token, role ID, secret ID or JWT.
 */
final class VaultAuth implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VaultSecretProvider.class);

  /** Background work serves no reference; its failures are logged under this name. */
  private static final SecretRef BACKGROUND = SecretRef.of("vault", "auth/token/self");

  /**
   * How long the renewer waits after a failed token look-up before it tries again, and reads after
   * finding a token file not rewritten yet before they read it again.
   */
  private static final long LOOKUP_RETRY_MILLIS = 10_000;

  /** The shortest wait the renewer schedules, so that a tiny lease does not spin it. */
  private static final long MIN_DELAY_MILLIS = 200;

  /**
   * How long after a login, a renewal or a check a denied request is taken as the policy's answer
   * without asking Vault whether the token is still valid; also the least time between two such
   * checks, so that a policy that denies a path costs at most one {@code lookup-self} a minute, and
   * never a login while the token is valid.
   */
  static final Duration DENIAL_RECHECK = Duration.ofMinutes(1);

  /** A token and the generation that tells a newer one from it; never prints the token. */
  record Token(String value, long generation) {
    @Override
    public String toString() {
      return "Token[***, generation=" + generation + "]";
    }
  }

  private final Login login;
  private final VaultHttp http;
  private final Clock clock;
  private final RenewalScheduler renewer;
  private final Object lock = new Object();

  private volatile Token token;

  /** Until when the token needs no attention; after it a read takes the lock to see to it. */
  private volatile long attentionAt = Long.MAX_VALUE;

  private volatile boolean closed;

  // Guarded by lock.
  private Login.Lease lease;
  private long leaseStart;
  private boolean capped;
  private long generation;
  private RenewalScheduler.Task scheduled;
  // When the token was last obtained, renewed or looked up, or checked after a denial.
  private long settledAt;

  VaultAuth(Login login, VaultHttp http, Clock clock, RenewalScheduler renewer) {
    this.login = login;
    this.http = http;
    this.clock = clock;
    this.renewer = renewer;
  }

  /**
   * Returns the token to send, logging in first if there is none yet or it has expired.
   *
   * @throws ProviderException if the login fails
   */
  Token current(SecretRef subject) {
    Token t = token;
    if (t != null && clock.millis() < attentionAt) {
      return t;
    }
    synchronized (lock) {
      checkOpen();
      if (token == null) {
        obtain(subject, null);
      } else if (clock.millis() >= attentionAt) {
        if (login.canLogInAgain() && expired()) {
          obtain(subject, "its token expired");
        } else {
          plan();
        }
      }
      return token;
    }
  }

  /**
   * Called when Vault denied a read made with {@code used}: returns the token to retry with, or
   * empty if there is none better than the one denied. That is the token another thread just got;
   * or, for a token file, the file read again; or, for a login method, a new login, but only when
   * Vault refuses the token itself: not within {@link #DENIAL_RECHECK} of the token's login,
   * renewal or last check, and not when {@code lookup-self} says the token is valid (the policy
   * denied the read, and a new token would be denied alike).
   *
   * @throws ProviderException if the login fails
   */
  Optional<Token> reauthenticate(SecretRef subject, Token used) {
    if (!login.canLogInAgain()) {
      return Optional.empty();
    }
    synchronized (lock) {
      checkOpen();
      if (token != null && token.generation() != used.generation()) {
        return Optional.of(token);
      }
      if (login.isLogin() && token != null && !tokenRefused(subject)) {
        return Optional.empty();
      }
      return obtain(subject, "a request was denied") ? Optional.of(token) : Optional.empty();
    }
  }

  /**
   * Tells whether Vault refuses the current token, after a read made with it was denied; lock held.
   * An expired or revoked token and a missing permission get the same 403, and a login costs a
   * token that outlives its use and, with AppRole, one of the secret ID's uses; so the token is
   * checked first, at most once per {@link #DENIAL_RECHECK}.
   */
  private boolean tokenRefused(SecretRef subject) {
    long now = clock.millis();
    if (now - settledAt < DENIAL_RECHECK.toMillis()) {
      return false;
    }
    settledAt = now;
    Http1Client.Response response;
    try {
      response = http.send(subject, "GET", "auth/token/lookup-self", null, null, token.value());
    } catch (ProviderException e) {
      LOG.debug(
          "Vault: a read was denied, and checking the token failed ({}); not logging in again",
          e.kind().label());
      return false;
    }
    if (response.ok()) {
      LOG.debug("Vault: a read was denied, but the token is valid: its policy does not allow it");
      return false;
    }
    // Refused, or a token without the default policy that may not look itself up: only a new
    // token can tell, and the check above keeps that to one login a minute.
    return response.status() == 401 || response.status() == 403;
  }

  /** Logs in (or reads the token), and starts looking after the new token; lock held. */
  private boolean obtain(SecretRef subject, String why) {
    Login.Credential credential = login.logIn(http, subject);
    if (token != null && token.value().equals(credential.token())) {
      // A token file not rewritten yet: look again a little later, not on every read.
      attentionAt = clock.millis() + LOOKUP_RETRY_MILLIS;
      return false;
    }
    generation++;
    token = new Token(credential.token(), generation);
    lease = credential.lease();
    leaseStart = clock.millis();
    settledAt = leaseStart;
    capped = false;
    if (why == null) {
      LOG.debug("Vault: got a token with the {} method", login.method());
    } else {
      LOG.info("Vault: {}; got a new token with the {} method", why, login.method());
    }
    if (lease == null) {
      // A token given as it is works before its lease is known: the renewer learns the lease, so
      // that the first reads do not wait a round trip for it.
      cancelScheduled();
      plan();
      lookUpLater(0);
    } else {
      describeLease("the login");
      plan();
      schedule();
    }
    return true;
  }

  /**
   * Has the renewer learn the lease of the current token, given as it is, after {@code
   * delayMillis}; lock held.
   */
  private void lookUpLater(long delayMillis) {
    if (closed) {
      return;
    }
    long gen = generation;
    scheduled =
        renewer.schedule(
            clock.instant().plusMillis(delayMillis),
            () -> {
              synchronized (lock) {
                if (closed || gen != generation || token == null) {
                  return;
                }
                scheduled = null;
                lookUp();
              }
            });
  }

  /**
   * Learns the lease of a token given as it is; a failure only means no renewal until a later try
   * succeeds. Lock held.
   */
  private void lookUp() {
    try {
      Http1Client.Response response =
          http.send(BACKGROUND, "GET", "auth/token/lookup-self", null, null, token.value());
      if (response.status() == 401 || response.status() == 403) {
        // A token without the default policy may not look itself up; reads will tell whether it
        // is valid.
        LOG.debug(
            "Vault: the token may not look itself up (HTTP {}); it is used without renewal",
            response.status());
      } else if (!response.ok()) {
        throw VaultErrors.status(BACKGROUND, response.status(), "looking up the token");
      } else {
        lease = VaultErrors.reading(BACKGROUND, "the token look-up", () -> lookedUp(response));
        leaseStart = clock.millis();
        settledAt = leaseStart;
        describeLease("the token look-up");
      }
    } catch (ProviderException e) {
      if (closed) {
        return;
      }
      LOG.debug("Vault: looking up the token failed ({}); trying again later", e.kind().label());
      lookUpLater(LOOKUP_RETRY_MILLIS);
      return;
    }
    plan();
    schedule();
  }

  private static Login.Lease lookedUp(Http1Client.Response response) {
    JsonValue data = response.json().object("data");
    long ttl = Login.Lease.seconds(data.integer("ttl"), "ttl");
    long full =
        Login.Lease.seconds(data.optionalInteger("creation_ttl").orElse(0L), "creation_ttl");
    boolean renewable = data.optionalBoolean("renewable").orElse(false);
    return new Login.Lease(ttl, renewable, full > 0 ? full : ttl);
  }

  private void describeLease(String source) {
    if (lease.ttlSeconds() == 0) {
      LOG.debug("Vault: {} says the token never expires", source);
    } else {
      LOG.debug(
          "Vault: {} says the token expires in {} and is {}renewable",
          source,
          Duration.ofSeconds(lease.ttlSeconds()),
          lease.renewable() ? "" : "not ");
    }
  }

  private boolean expired() {
    return lease != null && lease.ttlSeconds() > 0 && clock.millis() >= expiresAt();
  }

  private long expiresAt() {
    return leaseStart + lease.ttlSeconds() * 1000;
  }

  /** Works out when a read must next look after the token; lock held. */
  private void plan() {
    long at = Long.MAX_VALUE;
    if (lease != null && lease.ttlSeconds() > 0 && login.canLogInAgain()) {
      at = Math.min(at, expiresAt());
    }
    attentionAt = at;
  }

  /** Schedules the next renewal or login at two thirds of the lease; lock held. */
  private void schedule() {
    cancelScheduled();
    if (lease == null || lease.ttlSeconds() == 0) {
      return;
    }
    if (!lease.renewable() && !login.canLogInAgain()) {
      return;
    }
    long due = leaseStart + lease.ttlSeconds() * 2000 / 3;
    scheduleIn(due - clock.millis());
  }

  private void cancelScheduled() {
    if (scheduled != null) {
      scheduled.cancel();
      scheduled = null;
    }
  }

  private void scheduleIn(long delayMillis) {
    if (closed) {
      return;
    }
    long gen = generation;
    scheduled =
        renewer.schedule(
            clock.instant().plusMillis(Math.max(MIN_DELAY_MILLIS, delayMillis)),
            () -> maintain(gen));
  }

  /** Runs when the renewal falls due: renew the token, or log in again. */
  private void maintain(long gen) {
    synchronized (lock) {
      if (closed || gen != generation || token == null || lease == null) {
        return;
      }
      scheduled = null;
      if (lease.renewable() && !capped) {
        try {
          Login.Lease renewed = renewSelf();
          if (renewed.ttlSeconds() == 0) {
            // A renewal cannot make a token that expires one that never does: taken as it says,
            // it would stop every renewal and new login until a read is denied.
            throw new ProviderException(
                BACKGROUND,
                ProviderException.Kind.MALFORMED_RESPONSE,
                "the token renewal gave a token that expires a lease of 0 seconds");
          }
          leaseStart = clock.millis();
          settledAt = leaseStart;
          capped = renewed.ttlSeconds() < lease.fullTtlSeconds();
          lease =
              new Login.Lease(renewed.ttlSeconds(), renewed.renewable(), lease.fullTtlSeconds());
          LOG.debug(
              "Vault: renewed the token; it now expires in {}",
              Duration.ofSeconds(renewed.ttlSeconds()));
          plan();
          if (capped && !login.canLogInAgain()) {
            LOG.info(
                "Vault: the token reaches its maximum TTL in {} and cannot be renewed past it",
                Duration.ofSeconds(renewed.ttlSeconds()));
            return;
          }
          schedule();
          return;
        } catch (ProviderException e) {
          if (closed) {
            return;
          }
          if (!login.canLogInAgain()) {
            LOG.warn(
                "Vault: renewing the token failed ({}); trying again before it expires",
                e.kind().label());
            retryLater();
            return;
          }
          LOG.info("Vault: renewing the token failed ({}); logging in again", e.kind().label());
        }
      }
      if (!login.canLogInAgain()) {
        return;
      }
      String why =
          capped
              ? "the token nears its maximum TTL"
              : lease.renewable() ? "the token could not be renewed" : "the token is not renewable";
      try {
        if (!obtain(BACKGROUND, why)) {
          retryLater();
        }
      } catch (ProviderException e) {
        if (closed) {
          return;
        }
        LOG.warn(
            "Vault: logging in again with the {} method failed ({}); trying again later",
            login.method(),
            e.kind().label());
        retryLater();
      }
    }
  }

  /** Tries again at half the lease left, if enough is left; else the next read logs in. */
  private void retryLater() {
    long remaining = expiresAt() - clock.millis();
    if (remaining > 2 * MIN_DELAY_MILLIS) {
      scheduleIn(remaining / 2);
    }
  }

  private Login.Lease renewSelf() {
    Http1Client.Response response =
        http.send(
            BACKGROUND, "POST", "auth/token/renew-self", null, VaultHttp.utf8("{}"), token.value());
    if (!response.ok()) {
      throw VaultErrors.status(BACKGROUND, response.status(), "renewing the token");
    }
    return VaultErrors.reading(
        BACKGROUND, "the token renewal", () -> Login.Lease.of(response.json().object("auth")));
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the vault provider is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    token = null;
    renewer.close();
  }

  @Override
  public String toString() {
    return "VaultAuth[" + login.method() + "]";
  }
}
