package io.aigen.camunda.sandbox.unified;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the unified task API's callbacks when the sandbox has a {@code unifiedCallbackSecret}. The
 * API documents no signing; this is the generic HMAC scheme (the one AsyncQueue uses, docs/providers.md
 * §9.5): {@code X-Webhook-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}.
 */
final class UnifiedCallbackSigner {

  static final String SIGNATURE_HEADER = "X-Webhook-Signature";

  private final byte[] secret;

  UnifiedCallbackSigner(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  Map<String, String> headers(byte[] body, long unixSeconds) {
    String t = Long.toString(unixSeconds);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      return Map.of(SIGNATURE_HEADER, "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
