package io.aigen.camunda.connector.callback;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigen.camunda.connector.http.HttpReply;
import io.aigen.camunda.connector.http.OutgoingRequest;
import io.aigen.camunda.connector.http.ProviderHttp;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A provider's Ed25519 public keys from a JWKS URL (fal: docs/providers.md §1.8), cached. The cache is refreshed
 * when it is a day old, or when no cached key verifies a signature (the provider rotated its keys) — at most
 * once per {@link #MIN_REFRESH_GAP}, so forged callbacks cannot make us hammer the JWKS URL.
 */
final class JwksKeys {

  static final Duration MAX_AGE = Duration.ofHours(24);
  static final Duration MIN_REFRESH_GAP = Duration.ofSeconds(10);
  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519; the raw 32-byte key follows. */
  private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final ProviderHttp http;
  private final String url;
  private final Clock clock;
  private volatile List<PublicKey> keys = List.of();
  private volatile Instant fetchedAt = Instant.EPOCH;
  /** The last fetch, also a failed one: the refresh gap holds while the JWKS URL fails too. */
  private volatile Instant attemptedAt = Instant.EPOCH;

  public JwksKeys(ProviderHttp http, String url, Clock clock) {
    this.http = http;
    this.url = url;
    this.clock = clock;
  }

  /** The cached keys, fetched first if there are none or they are old. */
  List<PublicKey> current() throws CallbackRejected {
    if (keys.isEmpty() || fetchedAt.plus(MAX_AGE).isBefore(clock.instant())) {
      refresh();
    }
    return keys;
  }

  /** Fetches again, unless that was just done; says whether the keys changed. */
  synchronized boolean refreshIfAllowed() throws CallbackRejected {
    if (attemptedAt.plus(MIN_REFRESH_GAP).isAfter(clock.instant())) {
      return false;
    }
    List<PublicKey> before = keys;
    refresh();
    return !before.equals(keys);
  }

  private synchronized void refresh() throws CallbackRejected {
    attemptedAt = clock.instant();
    HttpReply reply;
    try {
      reply = http.send(OutgoingRequest.get(url, "JWKS"));
    } catch (IOException e) {
      throw CallbackRejected.unavailable("cannot fetch the JWKS from " + url + ": " + e.getMessage());
    }
    if (!reply.ok()) {
      throw CallbackRejected.unavailable("the JWKS at " + url + " answered HTTP " + reply.code());
    }
    List<PublicKey> parsed = new ArrayList<>();
    for (JsonNode key : reply.json().path("keys")) {
      if ("OKP".equals(key.path("kty").asText()) && "Ed25519".equals(key.path("crv").asText())) {
        try {
          parsed.add(ed25519(Base64.getUrlDecoder().decode(key.path("x").asText())));
        } catch (IllegalArgumentException malformed) {
          // one bad entry must not break the keys that are fine
        }
      }
    }
    if (parsed.isEmpty()) {
      throw CallbackRejected.unavailable("the JWKS at " + url + " has no Ed25519 key");
    }
    keys = List.copyOf(parsed);
    fetchedAt = clock.instant();
  }

  static PublicKey ed25519(byte[] raw) {
    byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
    System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
    System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }
}
