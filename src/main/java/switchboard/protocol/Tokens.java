package switchboard.protocol;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import switchboard.config.ConfigException;
import switchboard.config.ProtocolSettings;

import java.util.List;

/**
 * Checks connection and subscription JWTs with vertx-auth-jwt: HS256/384/512 with the shared secret, RS256
 * or ES256 with a PEM public key, keys from a JWKS file, or from a JWKS URL fetched at startup and every
 * {@code jwksRefreshSeconds} (and again, at most every 5 s, when a token names a key id it does not know,
 * as happens when keys rotate), plus {@code aud} and {@code iss} when configured. Expiry is not judged here:
 * the protocol answers an expired token with error 109 (so the SDK fetches a new one), not as an invalid
 * one. Verification is pure computation; only the JWKS fetch does I/O, asynchronously. One per server
 * instance, confined to its event loop.
 */
final class Tokens {

  /** The keys a token needs are not loaded yet (a JWKS URL not fetched, or rotated): try again soon. */
  static final class KeysNotReady extends RuntimeException {
    KeysNotReady(String message) {
      super(message, null, false, false);
    }
  }

  private static final System.Logger LOG = System.getLogger(Tokens.class.getName());
  private static final long REFETCH_AT_MOST_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

  /** A verified token's claims. */
  record Claims(JsonObject json) {
    String subject() {
      return json.getString("sub", "");
    }

    /** Seconds since the epoch, or 0 when the token never expires. */
    long expiresAt() {
      Object exp = json.getValue("exp");
      return exp instanceof Number n ? n.longValue() : 0;
    }

    boolean expired(long nowSeconds) {
      return expiresAt() > 0 && expiresAt() <= nowSeconds;
    }
  }

  private final Vertx vertx;
  private final ProtocolSettings settings;
  private final JWTAuthOptions options;
  private JWTAuth auth;
  private io.vertx.core.http.HttpClient jwksClient;
  private long lastFetchNanos;
  private boolean fetching;

  /** Throws {@link ConfigException} naming the key when a configured key cannot be used. */
  Tokens(Vertx vertx, ProtocolSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    if (!settings.verifiesTokens()) {
      options = null;
      return;
    }
    JWTAuthOptions options = new JWTAuthOptions();
    this.options = options;
    JWTOptions checks = new JWTOptions().setIgnoreExpiration(true);
    if (settings.audience() != null) {
      checks.setAudience(List.of(settings.audience()));
    }
    if (settings.issuer() != null) {
      checks.setIssuer(settings.issuer());
    }
    options.setJWTOptions(checks);
    if (settings.hmacSecret() != null) {
      for (String algorithm : List.of("HS256", "HS384", "HS512")) {
        options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(settings.hmacSecret()));
      }
    }
    if (settings.rsaPublicKeyPem() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(settings.rsaPublicKeyPem()));
    }
    if (settings.ecdsaPublicKeyPem() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(settings.ecdsaPublicKeyPem()));
    }
    settings.jwks().forEach(options::addJwk);
    try {
      auth = JWTAuth.create(vertx, options);
    } catch (RuntimeException e) {
      throw new ConfigException("protocol.token", "(hidden)", "a token key cannot be used: " + e.getMessage());
    }
    if (settings.jwksUrl() != null) {
      jwksClient = vertx.createHttpClient();
      fetchJwks();
      vertx.setPeriodic(settings.jwksRefreshSeconds() * 1000L, t -> fetchJwks());
    }
  }

  /** Fetches the JWKS URL and, when it parses, checks tokens with the configured keys plus its keys. */
  private void fetchJwks() {
    if (fetching) {
      return;
    }
    fetching = true;
    lastFetchNanos = System.nanoTime();
    String url = settings.jwksUrl();
    jwksClient.request(new io.vertx.core.http.RequestOptions().setAbsoluteURI(url))
        .compose(request -> request.send())
        .compose(response -> response.statusCode() == 200 ? response.body()
            : io.vertx.core.Future.failedFuture("HTTP " + response.statusCode()))
        .onComplete(ar -> {
          fetching = false;
          try {
            if (ar.failed()) {
              throw new IllegalStateException(ar.cause().getMessage());
            }
            JWTAuthOptions withKeys = new JWTAuthOptions(options);
            io.vertx.core.json.JsonArray keys = ar.result().toJsonObject().getJsonArray("keys");
            for (Object jwk : keys) {
              withKeys.addJwk((JsonObject) jwk);
            }
            auth = JWTAuth.create(vertx, withKeys);
            LOG.log(System.Logger.Level.INFO, () -> "token keys loaded from " + url + ": " + keys.size());
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "token keys from " + url + " not loaded (" + e.getMessage()
                + "); keeping the previous ones");
          }
        });
  }

  /**
   * The claims of a token signed with a configured key. Fails for any other token, when none is configured,
   * and with {@link KeysNotReady} when a JWKS URL is configured and does not (yet) hold the token's key.
   */
  Future<Claims> verify(String token) {
    if (auth == null) {
      return Future.failedFuture("no token key is configured (protocol.token)");
    }
    Future<Claims> verified = auth.authenticate(new TokenCredentials(token))
        .map(user -> new Claims(user.attributes().getJsonObject("accessToken")));
    if (verified.failed() && jwksClient != null && verified.cause() instanceof io.vertx.ext.auth.NoSuchKeyIdException) {
      if (System.nanoTime() - lastFetchNanos > REFETCH_AT_MOST_EVERY_NANOS) {
        fetchJwks(); // keys rotated since the last fetch, perhaps
      }
      return Future.failedFuture(new KeysNotReady("the token's key is not among the keys loaded from " + settings.jwksUrl()));
    }
    return verified;
  }
}
