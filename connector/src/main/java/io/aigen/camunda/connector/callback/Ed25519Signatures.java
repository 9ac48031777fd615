package io.aigen.camunda.connector.callback;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks Ed25519 signatures: with Bouncy Castle's RFC 8032 code and each key decoded once when
 * Bouncy Castle is on the class path (Camunda's connector runtimes bring it), else with the JDK.
 * The JDK's EdDSA took about 1 ms per check on 2 cores, most of a callback's CPU; Bouncy Castle's
 * takes a fraction of that.
 */
final class Ed25519Signatures {

  /** A verifier for one public key. */
  @FunctionalInterface
  interface Check {
    boolean verify(byte[] message, byte[] signature);
  }

  private static final boolean BOUNCY_CASTLE = present("org.bouncycastle.math.ec.rfc8032.Ed25519");

  /** Keys are few (a JWKS holds one or two): one decoded check each. */
  private static final Map<PublicKey, Check> CHECKS = new ConcurrentHashMap<>();

  private Ed25519Signatures() {}

  static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    return CHECKS.computeIfAbsent(key, Ed25519Signatures::checkFor).verify(message, signature);
  }

  private static Check checkFor(PublicKey key) {
    if (BOUNCY_CASTLE) {
      byte[] encoded = key.getEncoded();
      if (encoded != null && encoded.length >= 32) {
        try {
          Check fast = BouncyCastleEd25519.check(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
          if (fast != null) {
            fast.verify(new byte[0], new byte[64]); // links the call now: an older Bouncy Castle falls back here
            return fast;
          }
        } catch (LinkageError olderBouncyCastle) {
          // its RFC 8032 API differs: the JDK checks instead
        }
      }
    }
    return (message, signature) -> jdk(key, message, signature);
  }

  private static boolean jdk(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(key);
      ed25519.update(message);
      return ed25519.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a malformed signature for this key
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, Ed25519Signatures.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Loaded only when Bouncy Castle is present. */
  private static final class BouncyCastleEd25519 {

    /** A check with the key decoded once, or {@code null} when it is not a valid point. */
    static Check check(byte[] rawKey) {
      org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point = org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(rawKey, 0);
      if (point == null) {
        return null;
      }
      return (message, signature) ->
          signature.length == org.bouncycastle.math.ec.rfc8032.Ed25519.SIGNATURE_SIZE
              && org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, point, message, 0, message.length);
    }
  }
}
