package io.aigen.camunda.sandbox.fal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigen.camunda.sandbox.ProviderSimulation;
import io.aigen.camunda.sandbox.http.Json;
import io.aigen.camunda.sandbox.http.SandboxRequest;
import io.aigen.camunda.sandbox.http.SandboxResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Signs fal's webhooks (docs/providers.md §1.8) with Ed25519 and serves the public keys as a JWKS,
 * mounted at {@code /fal-rest} as the equivalent of {@code https://rest.alpha.fal.ai}: {@code GET
 * /fal-rest/.well-known/jwks.json}, no auth. A key pair is made at start; {@link #rotate()} makes a
 * new one that signs from then on, while the JWKS keeps listing the previous key too.
 */
public final class FalWebhookSigner implements ProviderSimulation {

  public static final String MOUNT_PATH = "/fal-rest";
  public static final String JWKS_PATH = "/.well-known/jwks.json";
  /** The {@code X-Fal-Webhook-User-Id} of every webhook: the sandbox's one fal user. */
  static final String USER_ID = "sandbox-user";

  static final String REQUEST_ID_HEADER = "X-Fal-Webhook-Request-Id";
  static final String USER_ID_HEADER = "X-Fal-Webhook-User-Id";
  static final String TIMESTAMP_HEADER = "X-Fal-Webhook-Timestamp";
  static final String SIGNATURE_HEADER = "X-Fal-Webhook-Signature";

  /** The X.509 encoding of an Ed25519 public key is this fixed prefix and the raw 32-byte key. */
  private static final int RAW_PUBLIC_KEY_BYTES = 32;

  private record SigningKey(String kid, KeyPair pair) {}

  /** The signing key first, then the one it replaced (if any). */
  private volatile List<SigningKey> keys;
  private int generation;

  public FalWebhookSigner() {
    keys = List.of(newKey(++generation));
  }

  @Override
  public String mountPath() {
    return MOUNT_PATH;
  }

  @Override
  public SandboxResponse handle(SandboxRequest request) {
    if (!request.path().equals(JWKS_PATH)) {
      return SandboxResponse.json(404, Json.detail("Not Found"));
    }
    if (!request.method().equals("GET")) {
      return SandboxResponse.json(405, Json.detail("Method Not Allowed")).withHeader("Allow", "GET");
    }
    return SandboxResponse.json(200, jwks());
  }

  /** A new key signs from now on; the JWKS lists it and the key it replaces (an older one is dropped). */
  public synchronized void rotate() {
    keys = List.of(newKey(++generation), keys.getFirst());
  }

  /** fal's four webhook headers for one delivery of {@code body}. */
  public Map<String, String> headers(String requestId, byte[] body, long unixSeconds) {
    String timestamp = Long.toString(unixSeconds);
    String message = requestId + "\n" + USER_ID + "\n" + timestamp + "\n" + HexFormat.of().formatHex(sha256(body));
    return Map.of(
        REQUEST_ID_HEADER, requestId,
        USER_ID_HEADER, USER_ID,
        TIMESTAMP_HEADER, timestamp,
        SIGNATURE_HEADER, HexFormat.of().formatHex(sign(message.getBytes(StandardCharsets.UTF_8))));
  }

  ObjectNode jwks() {
    ArrayNode list = Json.array();
    for (SigningKey key : keys) {
      byte[] encoded = key.pair().getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(encoded, encoded.length - RAW_PUBLIC_KEY_BYTES, encoded.length);
      list.add(Json.object()
          .put("kty", "OKP")
          .put("crv", "Ed25519")
          .put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(raw))
          .put("kid", key.kid()));
    }
    ObjectNode jwks = Json.object();
    jwks.set("keys", list);
    return jwks;
  }

  private byte[] sign(byte[] message) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(keys.getFirst().pair().getPrivate());
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
    }
  }

  private static SigningKey newKey(int generation) {
    try {
      return new SigningKey("sandbox-fal-" + generation, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
    }
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
