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
 * or ES256 with a PEM public key, plus {@code aud} and {@code iss} when configured. Expiry is not judged
 * here: the protocol answers an expired token with error 109 (so the SDK fetches a new one), not as an
 * invalid one. Verification is pure computation (no I/O): safe on an event loop. One per server instance.
 */
final class Tokens {

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

  private final JWTAuth auth;

  /** Throws {@link ConfigException} naming the key when a configured key cannot be used. */
  Tokens(Vertx vertx, ProtocolSettings settings) {
    if (!settings.verifiesTokens()) {
      auth = null;
      return;
    }
    JWTAuthOptions options = new JWTAuthOptions();
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
    try {
      auth = JWTAuth.create(vertx, options);
    } catch (RuntimeException e) {
      throw new ConfigException("protocol.token", "(hidden)", "a token key cannot be used: " + e.getMessage());
    }
  }

  /** The claims of a token signed with a configured key; fails for any other token, or when none is configured. */
  Future<Claims> verify(String token) {
    if (auth == null) {
      return Future.failedFuture("no token key is configured (protocol.token)");
    }
    return auth.authenticate(new TokenCredentials(token)).map(user -> new Claims(user.attributes().getJsonObject("accessToken")));
  }
}
